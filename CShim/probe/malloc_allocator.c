#include <stdio.h>
#include "cshim_platform.h"
#include "cshim_malloc.h"

/* mimalloc's object defines mi_version next to its malloc override. */
int mi_version(void) __attribute__((weak));

const char *cshim_malloc_allocator(void)
{
	static char buf[32];
	if (mi_version) {
		int v = mi_version();
		snprintf(buf, sizeof buf, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
		return buf;
	}
#if defined(CSHIM_LIBC_GLIBC)
	return "ptmalloc";
#else
	return "mallocng";
#endif
}
