/* fopen64, fseeko64, ftello64, fstat64 and lseek64: the LFS64 link symbols
 * that glibc-built objects (libstdc++.a's basic_file.o) ask for. musl 1.2.4
 * dropped them from libc.a, and CShim/compat/lfs64 supplies them there; on
 * an older musl they are libc's own. Either way a 64-bit offset past 4 GiB
 * must round-trip through all five, on a sparse file. Compiled without
 * _GNU_SOURCE, so musl's headers neither declare nor rename them. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

FILE *fopen64(const char *restrict path, const char *restrict mode);
int fseeko64(FILE *f, off_t offset, int whence);
off_t ftello64(FILE *f);
int fstat64(int fd, struct stat *st);
off_t lseek64(int fd, off_t offset, int whence);

int main(void)
{
	char path[] = "/tmp/cshim-lfs64-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp failed");
	close(fd);
	const off_t past4G = (off_t)5 << 30;

	FILE *f = fopen64(path, "r+");
	CHECK(f != NULL, "fopen64 of %s failed", path);
	CHECK(fseeko64(f, past4G, SEEK_SET) == 0, "fseeko64 to 5 GiB failed");
	CHECK(fputc('x', f) == 'x' && fflush(f) == 0, "write at 5 GiB failed");
	CHECK(ftello64(f) == past4G + 1, "ftello64 says %lld", (long long)ftello64(f));

	struct stat st;
	CHECK(fstat64(fileno(f), &st) == 0, "fstat64 failed");
	CHECK(st.st_size == past4G + 1, "fstat64 size %lld", (long long)st.st_size);
	CHECK(lseek64(fileno(f), 0, SEEK_END) == past4G + 1, "lseek64 to the end");
	CHECK(lseek64(fileno(f), past4G, SEEK_SET) == past4G, "lseek64 to 5 GiB");
	char c = 0;
	CHECK(read(fileno(f), &c, 1) == 1 && c == 'x', "the byte at 5 GiB is not there");
	fclose(f);
	unlink(path);
	printf("PASS fopen64\nPASS fseeko64\nPASS ftello64\nPASS fstat64\nPASS lseek64\n");
	return 0;
}
