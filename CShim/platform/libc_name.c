#include "cshim_platform.h"

const char *cshim_libc_name(void)
{
#if defined(CSHIM_LIBC_GLIBC)
	return "glibc";
#elif defined(CSHIM_LIBC_BIONIC)
	return "bionic";
#else
	return "musl";
#endif
}
