#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "resolver.h"

/* getaddrinfo with glibc's results, the names resolved through c-ares
 * (__cshim_resolver_lookup). Each node is one allocation with its address;
 * freeaddrinfo (in this archive) frees them and the canonical name. */

struct node {
	struct addrinfo ai;
	union { struct sockaddr_in v4; struct sockaddr_in6 v6; } address;
};

struct slot { int socktype, protocol, port; };

#define KNOWN_FLAGS (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV)

/* The socket types to return, each with its port. Without a socket type
 * and protocol glibc returns stream/TCP, datagram/UDP and raw (raw only
 * without a service); musl returns the first two. */
static int services(const char *service, int socktype, int protocol, int flags, struct slot *slots, int *count)
{
	static const struct slot all[3] = { { SOCK_STREAM, IPPROTO_TCP, 0 }, { SOCK_DGRAM, IPPROTO_UDP, 0 }, { SOCK_RAW, 0, 0 } };
	int n = 0, port = 0, numeric = 0;
	if (socktype && socktype != SOCK_STREAM && socktype != SOCK_DGRAM && socktype != SOCK_RAW) return EAI_SOCKTYPE;
	for (int i = 0; i < 3; i++) {
		if (socktype && all[i].socktype != socktype) continue;
		if (protocol && all[i].protocol && all[i].protocol != protocol) continue;
		slots[n] = all[i];
		if (all[i].socktype == SOCK_RAW && protocol) slots[n].protocol = protocol;
		n++;
	}
	if (!n) return EAI_SOCKTYPE;
	if (service && *service) {
		char *end;
		unsigned long value = strtoul(service, &end, 10);
		numeric = !*end;
		if (numeric) {
			if (value > 65535) return EAI_SERVICE;
			port = (int)value;
		} else if (flags & AI_NUMERICSERV) {
			return EAI_NONAME;
		}
		int kept = 0;
		for (int i = 0; i < n; i++) {
			if (slots[i].socktype == SOCK_RAW) {
				if (socktype == SOCK_RAW) return EAI_SERVICE;
				continue;
			}
			if (numeric) { slots[i].port = port; slots[kept++] = slots[i]; continue; }
			struct servent entry, *found = 0;
			char buffer[1024];
			if (!getservbyname_r(service, slots[i].socktype == SOCK_STREAM ? "tcp" : "udp", &entry, buffer, sizeof buffer, &found) && found) {
				slots[i].port = ntohs((unsigned short)found->s_port);
				slots[kept++] = slots[i];
			}
		}
		if (!kept) return EAI_SERVICE;
		n = kept;
	}
	*count = n;
	return 0;
}

static struct addrinfo *make_node(const struct cshim_resolver_address *a, const struct slot *s, int flags)
{
	struct node *node = calloc(1, sizeof *node);
	if (!node) return 0;
	node->ai.ai_family = a->family;
	node->ai.ai_socktype = s->socktype;
	node->ai.ai_protocol = s->protocol;
	node->ai.ai_flags = flags;
	if (a->family == AF_INET) {
		node->address.v4.sin_family = AF_INET;
		node->address.v4.sin_port = htons((unsigned short)s->port);
		memcpy(&node->address.v4.sin_addr, a->bytes, 4);
		node->ai.ai_addrlen = sizeof node->address.v4;
	} else {
		node->address.v6.sin6_family = AF_INET6;
		node->address.v6.sin6_port = htons((unsigned short)s->port);
		memcpy(&node->address.v6.sin6_addr, a->bytes, 16);
		node->ai.ai_addrlen = sizeof node->address.v6;
	}
	node->ai.ai_addr = (struct sockaddr *)&node->address;
	return &node->ai;
}

static void map_v4(struct cshim_resolver_address *a)
{
	unsigned char v4[4];
	memcpy(v4, a->bytes, 4);
	memset(a->bytes, 0, 10);
	a->bytes[10] = a->bytes[11] = 0xff;
	memcpy(a->bytes + 12, v4, 4);
	a->family = AF_INET6;
}

static int eai(enum cshim_resolver_status status)
{
	switch (status) {
	case CSHIM_RESOLVER_OK: return 0;
	case CSHIM_RESOLVER_TRY_AGAIN: return EAI_AGAIN;
	case CSHIM_RESOLVER_FAIL: return EAI_FAIL;
	default: return EAI_NONAME;
	}
}

/* The addresses of NAME (NULL: the wildcard or loopback address). */
static int addresses(const char *name, int family, int flags, struct cshim_resolver_result *r)
{
	memset(r, 0, sizeof *r);
	if (!name) {
		/* glibc: IPv6 first (precedence 50 for ::1, 20 for ::). */
		static const unsigned char loopback6[16] = { [15] = 1 };
		if (family != AF_INET) {
			r->addresses[r->count].family = AF_INET6;
			if (!(flags & AI_PASSIVE)) memcpy(r->addresses[r->count].bytes, loopback6, 16);
			r->count++;
		}
		if (family != AF_INET6) {
			r->addresses[r->count].family = AF_INET;
			if (!(flags & AI_PASSIVE)) memcpy(r->addresses[r->count].bytes, "\x7f\0\0\1", 4);
			r->count++;
		}
		return 0;
	}
	struct in_addr v4;
	unsigned char v6[16];
	if (__cshim_resolver_inet_aton(name, &v4)) {
		if (family == AF_INET6 && !(flags & AI_V4MAPPED)) return EAI_ADDRFAMILY;
		r->count = 1;
		r->addresses[0].family = AF_INET;
		memcpy(r->addresses[0].bytes, &v4, 4);
		if (family == AF_INET6) map_v4(&r->addresses[0]);
		snprintf(r->canonical, sizeof r->canonical, "%s", name);
		return 0;
	}
	if (inet_pton(AF_INET6, name, v6) == 1) {
		if (family == AF_INET) return EAI_ADDRFAMILY;
		r->count = 1;
		r->addresses[0].family = AF_INET6;
		memcpy(r->addresses[0].bytes, v6, 16);
		snprintf(r->canonical, sizeof r->canonical, "%s", name);
		return 0;
	}
	if (flags & AI_NUMERICHOST) return EAI_NONAME;
	if (!__cshim_resolver_name_ok(name)) return EAI_NONAME;
	if (family == AF_INET6 && (flags & AI_V4MAPPED)) {
		enum cshim_resolver_status status = __cshim_resolver_lookup(name, AF_INET6, r);
		if (status == CSHIM_RESOLVER_OK && !(flags & AI_ALL)) return 0;
		struct cshim_resolver_result *v4s = malloc(sizeof *v4s);
		if (!v4s) return EAI_MEMORY;
		enum cshim_resolver_status v4status = __cshim_resolver_lookup(name, AF_INET, v4s);
		if (v4status == CSHIM_RESOLVER_OK) {
			if (!r->canonical[0]) memcpy(r->canonical, v4s->canonical, sizeof r->canonical);
			for (int i = 0; i < v4s->count && r->count < CSHIM_RESOLVER_MAX_ADDRESSES; i++) {
				r->addresses[r->count] = v4s->addresses[i];
				map_v4(&r->addresses[r->count++]);
			}
		}
		free(v4s);
		return r->count ? 0 : eai(status == CSHIM_RESOLVER_OK ? v4status : status);
	}
	return eai(__cshim_resolver_lookup(name, family, r));
}

int getaddrinfo(const char *restrict host, const char *restrict service, const struct addrinfo *restrict hints,
                struct addrinfo **restrict result)
{
	int family = AF_UNSPEC, flags = AI_V4MAPPED | AI_ADDRCONFIG, socktype = 0, protocol = 0, count = 0, rc;
	struct slot slots[3];
	struct addrinfo *head = 0, **tail = &head;
	struct cshim_resolver_result *r;

	if (hints) {
		family = hints->ai_family;
		flags = hints->ai_flags;
		socktype = hints->ai_socktype;
		protocol = hints->ai_protocol;
	}
	if (flags & ~KNOWN_FLAGS) return EAI_BADFLAGS;
	if ((flags & AI_CANONNAME) && !host) return EAI_BADFLAGS;
	if (!host && !service) return EAI_NONAME;
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;
	if ((rc = services(service, socktype, protocol, flags, slots, &count))) return rc;
	if (!(r = malloc(sizeof *r))) return EAI_MEMORY;
	if ((rc = addresses(host, family, flags, r))) { free(r); return rc; }
	for (int i = 0; i < r->count; i++) {
		for (int j = 0; j < count; j++) {
			struct addrinfo *node = make_node(&r->addresses[i], &slots[j], flags);
			if (!node) { freeaddrinfo(head); free(r); return EAI_MEMORY; }
			*tail = node;
			tail = &node->ai_next;
		}
	}
	if (head && (flags & AI_CANONNAME)) {
		head->ai_canonname = strdup(r->canonical[0] ? r->canonical : host);
		if (!head->ai_canonname) { freeaddrinfo(head); free(r); return EAI_MEMORY; }
	}
	free(r);
	if (!head) return EAI_NONAME;
	*result = head;
	return 0;
}
