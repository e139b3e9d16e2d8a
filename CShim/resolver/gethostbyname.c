#include <netdb.h>
#include <sys/socket.h>

/* glibc: gethostbyname is gethostbyname2 for AF_INET. */
struct hostent *gethostbyname(const char *name)
{
	return gethostbyname2(name, AF_INET);
}
