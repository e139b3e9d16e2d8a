/* The DNS lab's scripted server's sockets: the kit's only C, and no probe
 * links it. The server must learn which 127.x address each datagram was
 * sent to (IP_PKTINFO), and recvmsg's control messages are reached through
 * function-like macros (CMSG_*) that Swift does not import; so these
 * wrappers take and return plain C types: fds, dotted quads, buffers. */
#ifndef CSHIM_SOCKETS_H
#define CSHIM_SOCKETS_H
#include <stddef.h>

/* A non-blocking UDP socket (tcp == 0) or TCP listener bound to
 * address:port. Returns the fd, or -errno. The UDP socket
 * reports each datagram's local address (IP_PKTINFO), so one socket bound
 * to 0.0.0.0 serves every 127.x nameserver, in arrival order. */
int cshim_dns_listen(const char *address, int port, int tcp);
/* Receives one datagram; peer and local get dotted quads (cap >= 16).
 * Returns its length, or -errno. */
long cshim_dns_udp_recv(int fd, void *buf, size_t cap, char *peer, int *peer_port, char *local);
/* Sends from `local` (an address of this host) to peer:port. */
long cshim_dns_udp_send(int fd, const void *buf, size_t len, const char *peer, int peer_port, const char *local);
/* Accepts one connection; fills peer and local like udp_recv. */
int cshim_dns_tcp_accept(int fd, char *peer, int *peer_port, char *local);
#endif
