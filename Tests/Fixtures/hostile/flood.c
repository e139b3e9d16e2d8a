/* flood: a hostile program for the scratch hardening tests. "flood N"
 * writes N bytes of 'x' to stdout as fast as it can; "flood bytes"
 * writes the 256 byte values 0..255 once (not valid UTF-8). Exits 0. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(const unsigned char *buffer, size_t count)
{
	while (count > 0) {
		ssize_t n = write(1, buffer, count);

		if (n <= 0)
			return -1;
		buffer += n;
		count -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char chunk[1 << 16];
	long long left;
	int i;

	if (argc > 1 && !strcmp(argv[1], "bytes")) {
		for (i = 0; i < 256; i++)
			chunk[i] = (unsigned char)i;
		return write_all(chunk, 256) ? 1 : 0;
	}
	left = argc > 1 ? atoll(argv[1]) : 1LL << 30;
	memset(chunk, 'x', sizeof chunk);
	while (left > 0) {
		size_t n = left < (long long)sizeof chunk ? (size_t)left : sizeof chunk;

		if (write_all(chunk, n))
			return 1;
		left -= (long long)n;
	}
	return 0;
}
