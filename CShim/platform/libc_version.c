#include "cshim_platform.h"
#if defined(CSHIM_LIBC_GLIBC)
#include <gnu/libc-version.h>
#endif

#ifndef CSHIM_MUSL_VERSION
#define CSHIM_MUSL_VERSION "unknown"
#endif

const char *cshim_libc_version(void)
{
#if defined(CSHIM_LIBC_GLIBC)
	return gnu_get_libc_version();
#else
	return CSHIM_MUSL_VERSION;
#endif
}
