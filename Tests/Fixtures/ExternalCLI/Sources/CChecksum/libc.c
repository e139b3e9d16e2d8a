#include <stdlib.h>
#include "cchecksum.h"

const char *cchecksum_libc(void)
{
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}
