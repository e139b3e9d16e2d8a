#include <netdb.h>
#include <sys/socket.h>

/* glibc: gethostbyname_r is gethostbyname2_r for AF_INET. */
int gethostbyname_r(const char *name, struct hostent *host, char *buffer, size_t size,
                    struct hostent **result, int *errno_out)
{
	return gethostbyname2_r(name, AF_INET, host, buffer, size, result, errno_out);
}
