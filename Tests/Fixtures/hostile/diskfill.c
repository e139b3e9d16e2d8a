/* diskfill: a hostile program for the scratch hardening tests. Writes up
 * to BYTES (default 2 GiB) to /fill in 1 MiB chunks and prints
 * "wrote N bytes: <strerror of the failing write, or done>". Exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char chunk[1 << 20];
	long long goal = argc > 1 ? atoll(argv[1]) : 2LL << 30, written = 0;
	int fd = open("/fill", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		printf("wrote 0 bytes: open: %s\n", strerror(errno));
		return 0;
	}
	memset(chunk, 'f', sizeof chunk);
	while (written < goal) {
		ssize_t n = write(fd, chunk, sizeof chunk);

		if (n <= 0) {
			printf("wrote %lld bytes: %s\n", written, n < 0 ? strerror(errno) : "short write");
			return 0;
		}
		written += n;
	}
	printf("wrote %lld bytes: done\n", written);
	return 0;
}
