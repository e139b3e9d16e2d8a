/* LFS64 link symbol, dropped from musl 1.2.4's libc.a; compiled only when
 * this musl lacks it (see compat_objects in toolchain/lib/musl-link.sh).
 * On 64-bit musl, off_t is 64 bits and struct stat is struct stat64. */
#include <unistd.h>

_Static_assert(sizeof(off_t) == 8, "LFS64 aliases need a 64-bit off_t");

off_t lseek64(int fd, off_t offset, int whence)
{
	return lseek(fd, offset, whence);
}
