#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "cshim_sockets.h"

int cshim_dns_listen(const char *address, int port, int tcp)
{
	struct sockaddr_in sin;
	int fd, one = 1, e;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, address, &sin.sin_addr) != 1) return -EINVAL;
	fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if ((!tcp && setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0)
	    || bind(fd, (void *)&sin, sizeof sin) < 0
	    || (tcp && listen(fd, 64) < 0)) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}
