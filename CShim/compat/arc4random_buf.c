#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include "compat.h"

/* glibc 2.36 arc4random_buf: never fails, never returns short. getrandom
 * blocks only until the pool is initialised; EINTR and short reads retry. */
void arc4random_buf(void *buffer, size_t length)
{
	unsigned char *p = buffer;
	while (length > 0) {
		ssize_t n = getrandom(p, length, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN) continue;
			abort();
		}
		p += n;
		length -= (size_t)n;
	}
}
