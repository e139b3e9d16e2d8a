#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "cshim_dns.h"

int cshim_dns_gethostbyname(const char *name, int family, char *out, size_t cap)
{
	char text[INET6_ADDRSTRLEN];
	struct hostent *h;
	char **p;

	out[0] = 0;
	h_errno = 0;
	h = family == CSHIM_FAMILY_INET6 ? gethostbyname2(name, AF_INET6) : gethostbyname(name);
	if (!h) {
		int e = h_errno ? h_errno : NO_RECOVERY;
		cshim_dns_append(out, cap, "status %s\n", cshim_dns_herrno_name(e));
		return e;
	}
	cshim_dns_append(out, cap, "status ok\n");
	if (h->h_name) cshim_dns_append(out, cap, "canon %s\n", h->h_name);
	for (p = h->h_aliases; p && *p; p++) cshim_dns_append(out, cap, "alias %s\n", *p);
	for (p = h->h_addr_list; p && *p; p++) {
		if (!inet_ntop(h->h_addrtype, *p, text, sizeof text)) continue;
		cshim_dns_append(out, cap, "addr %s\n", text);
	}
	return 0;
}
