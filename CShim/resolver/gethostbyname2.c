#include <errno.h>
#include <stdlib.h>
#include <netdb.h>

/* One result per thread, as glibc's static buffer is per process but
 * thread-unsafe; a thread-local buffer keeps threads apart. */
struct hostent *gethostbyname2(const char *name, int family)
{
	static _Thread_local struct hostent host;
	static _Thread_local char *buffer;
	static _Thread_local size_t size;
	struct hostent *result;
	int error;
	if (!size) { size = 4096; buffer = malloc(size); }
	while (buffer && gethostbyname2_r(name, family, &host, buffer, size, &result, &error) == ERANGE) {
		char *larger = realloc(buffer, size * 2);
		if (!larger) break;
		buffer = larger;
		size *= 2;
	}
	if (!buffer) { h_errno = NO_RECOVERY; return 0; }
	h_errno = error;
	return result;
}
