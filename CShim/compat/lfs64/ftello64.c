/* LFS64 link symbol, dropped from musl 1.2.4's libc.a; compiled only when
 * this musl lacks it (see compat_objects in toolchain/lib/musl-link.sh).
 * On 64-bit musl, off_t is 64 bits and struct stat is struct stat64. */
#include <stdio.h>

off_t ftello64(FILE *f)
{
	return ftello(f);
}
