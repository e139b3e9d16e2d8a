#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "cshim_sockets.h"

long cshim_dns_udp_send(int fd, const void *buf, size_t len, const char *peer, int peer_port, const char *local)
{
	struct sockaddr_in to;
	union { char buf[CMSG_SPACE(sizeof(struct in_pktinfo))]; struct cmsghdr align; } control;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg;
	struct cmsghdr *c;
	struct in_pktinfo info;
	ssize_t n;

	memset(&to, 0, sizeof to);
	to.sin_family = AF_INET;
	to.sin_port = htons(peer_port);
	if (inet_pton(AF_INET, peer, &to.sin_addr) != 1) return -EINVAL;
	memset(&msg, 0, sizeof msg);
	memset(&control, 0, sizeof control);
	memset(&info, 0, sizeof info);
	msg.msg_name = &to;
	msg.msg_namelen = sizeof to;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (inet_pton(AF_INET, local, &info.ipi_spec_dst) == 1) {
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof control.buf;
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof info);
		memcpy(CMSG_DATA(c), &info, sizeof info);
	}
	n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	return n < 0 ? -errno : n;
}
