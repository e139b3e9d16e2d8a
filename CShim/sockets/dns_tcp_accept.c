#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "cshim_sockets.h"

int cshim_dns_tcp_accept(int fd, char *peer, int *peer_port, char *local)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int c = accept4(fd, (void *)&a, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0) return -errno;
	inet_ntop(AF_INET, &a.sin_addr, peer, 16);
	*peer_port = ntohs(a.sin_port);
	len = sizeof a;
	if (getsockname(c, (void *)&a, &len) == 0) inet_ntop(AF_INET, &a.sin_addr, local, 16);
	else strcpy(local, "0.0.0.0");
	return c;
}
