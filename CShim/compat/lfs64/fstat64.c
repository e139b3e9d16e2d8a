/* LFS64 link symbol, dropped from musl 1.2.4's libc.a; compiled only when
 * this musl lacks it (see compat_objects in toolchain/lib/musl-link.sh).
 * On 64-bit musl, off_t is 64 bits and struct stat is struct stat64. */
#include <sys/stat.h>

int fstat64(int fd, struct stat *st)
{
	return fstat(fd, st);
}
