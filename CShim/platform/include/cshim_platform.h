/* The one place that names the C library. musl defines no identifying
 * macro, so: glibc defines __GLIBC__, bionic defines __BIONIC__, and
 * anything else on Linux is musl. Every other file tests CSHIM_LIBC_*. */
#ifndef CSHIM_PLATFORM_H
#define CSHIM_PLATFORM_H
#include <stdlib.h> /* pulls in <features.h>, which defines __GLIBC__ */

#if defined(__GLIBC__)
#define CSHIM_LIBC_GLIBC 1
#elif defined(__BIONIC__)
#define CSHIM_LIBC_BIONIC 1
#else
#define CSHIM_LIBC_MUSL 1
#endif

/* "glibc", "musl" or "bionic": the libc this copy of CShim was compiled
 * against (build-static.sh recompiles CShim with musl-gcc for musl links). */
const char *cshim_libc_name(void);
/* The libc version: gnu_get_libc_version() on glibc; on musl, the version
 * build-static.sh passed as CSHIM_MUSL_VERSION, or "unknown". */
const char *cshim_libc_version(void);
#endif
