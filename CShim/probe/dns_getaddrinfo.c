#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <errno.h>
#include <string.h>
#include "cshim_dns.h"

static int ai_flags(int f)
{
	int r = 0;
	if (f & CSHIM_AI_CANONNAME) r |= AI_CANONNAME;
	if (f & CSHIM_AI_ADDRCONFIG) r |= AI_ADDRCONFIG;
	if (f & CSHIM_AI_NUMERICHOST) r |= AI_NUMERICHOST;
	if (f & CSHIM_AI_V4MAPPED) r |= AI_V4MAPPED;
	if (f & CSHIM_AI_ALL) r |= AI_ALL;
	if (f & CSHIM_AI_NUMERICSERV) r |= AI_NUMERICSERV;
	if (f & CSHIM_AI_PASSIVE) r |= AI_PASSIVE;
	return r;
}

int cshim_dns_getaddrinfo(const char *name, const char *service, int family,
                          int flags, int null_hints, char *out, size_t cap)
{
	struct addrinfo hints, *res = 0, *ai;
	char text[INET6_ADDRSTRLEN];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family == CSHIM_FAMILY_INET ? AF_INET
		: family == CSHIM_FAMILY_INET6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ai_flags(flags);
	out[0] = 0;
	rc = getaddrinfo(name, service, null_hints ? 0 : &hints, &res);
	cshim_dns_append(out, cap, "status %s\n", cshim_dns_eai_name(rc));
	if (rc == EAI_SYSTEM) cshim_dns_append(out, cap, "errno %d\n", errno);
	if (rc) return rc;
	if (res && res->ai_canonname) cshim_dns_append(out, cap, "canon %s\n", res->ai_canonname);
	for (ai = res; ai; ai = ai->ai_next) {
		int port = 0;
		if (ai->ai_family == AF_INET) {
			struct sockaddr_in *sin = (void *)ai->ai_addr;
			inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
			port = ntohs(sin->sin_port);
		} else if (ai->ai_family == AF_INET6) {
			struct sockaddr_in6 *sin6 = (void *)ai->ai_addr;
			inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
			port = ntohs(sin6->sin6_port);
		} else {
			strcpy(text, "?");
		}
		if (port) cshim_dns_append(out, cap, "addr %s port %d\n", text, port);
		else cshim_dns_append(out, cap, "addr %s\n", text);
	}
	freeaddrinfo(res);
	return 0;
}
