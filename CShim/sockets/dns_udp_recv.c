#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "cshim_sockets.h"

long cshim_dns_udp_recv(int fd, void *buf, size_t cap, char *peer, int *peer_port, char *local)
{
	struct sockaddr_in from;
	char control[256];
	struct iovec iov = { buf, cap };
	struct msghdr msg;
	struct cmsghdr *c;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	msg.msg_name = &from;
	msg.msg_namelen = sizeof from;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = sizeof control;
	n = recvmsg(fd, &msg, 0);
	if (n < 0) return -errno;
	inet_ntop(AF_INET, &from.sin_addr, peer, 16);
	*peer_port = ntohs(from.sin_port);
	strcpy(local, "0.0.0.0");
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo info;
			memcpy(&info, CMSG_DATA(c), sizeof info);
			inet_ntop(AF_INET, &info.ipi_addr, local, 16);
		}
	}
	return n;
}
