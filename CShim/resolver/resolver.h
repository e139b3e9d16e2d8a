/* Internal interface of the c-ares resolver shim (libcshim_resolver.a).
 *
 * A musl link with --resolver c-ares gets getaddrinfo, freeaddrinfo,
 * gai_strerror, gethostbyname, gethostbyname2, gethostbyname_r,
 * gethostbyname2_r and getnameinfo from this archive instead of musl's
 * libc.a. They follow glibc 2.36's rules where musl's differ: /etc/hosts
 * and DNS in nsswitch.conf's order, glibc's search order (continuing past
 * NODATA, SERVFAIL, REFUSED and timeouts), the first /etc/hosts line only
 * unless host.conf says "multi on", RFC 3484 address order, three socket
 * types for empty hints, inet_aton's numeric forms. The DNS itself is
 * c-ares's: resolv.conf, LOCALDOMAIN, RES_OPTIONS, rotate, timeout and
 * attempts, and the retry over TCP when an answer is truncated.
 *
 * One public function per file, named after it; the __cshim_resolver_*
 * helpers are shared by them. Compiled by clang for musl with _GNU_SOURCE. */
#ifndef CSHIM_RESOLVER_H
#define CSHIM_RESOLVER_H

#include <stddef.h>
#include <netinet/in.h>

#define CSHIM_RESOLVER_MAX_ADDRESSES 512
#define CSHIM_RESOLVER_MAX_ALIASES 16

struct cshim_resolver_address {
	int family;                 /* AF_INET or AF_INET6 */
	unsigned char bytes[16];    /* 4 or 16 bytes */
};

struct cshim_resolver_result {
	int count;
	struct cshim_resolver_address addresses[CSHIM_RESOLVER_MAX_ADDRESSES];
	char canonical[256];        /* the owner name of the addresses, no trailing dot */
	int alias_count;
	char aliases[CSHIM_RESOLVER_MAX_ALIASES][256];
	int from_hosts;             /* 1: /etc/hosts answered */
};

/* Outcomes of a name lookup, as glibc's nss reports them. */
enum cshim_resolver_status {
	CSHIM_RESOLVER_OK = 0,
	CSHIM_RESOLVER_NOT_FOUND,   /* NXDOMAIN everywhere: EAI_NONAME, HOST_NOT_FOUND */
	CSHIM_RESOLVER_NO_DATA,     /* the name exists, not that family: EAI_NONAME, NO_DATA */
	CSHIM_RESOLVER_TRY_AGAIN,   /* no server answered usefully: EAI_AGAIN, TRY_AGAIN */
	CSHIM_RESOLVER_FAIL,        /* out of memory, c-ares unusable: EAI_FAIL, NO_RECOVERY */
	CSHIM_RESOLVER_BAD_NAME,    /* not a valid domain name: EAI_NONAME, HOST_NOT_FOUND */
};

/* Looks NAME up for FAMILY (AF_INET, AF_INET6 or AF_UNSPEC) through
 * /etc/hosts and DNS, in nsswitch.conf's order. */
enum cshim_resolver_status __cshim_resolver_lookup(const char *name, int family, struct cshim_resolver_result *out);

/* /etc/hosts for NAME and FAMILY (AF_UNSPEC: either). 1 when found. */
int __cshim_resolver_hosts(const char *name, int family, struct cshim_resolver_result *out);

/* /etc/hosts by address, for getnameinfo: the official name. 1 when found. */
int __cshim_resolver_hosts_by_address(int family, const void *address, char *name, size_t size);

/* glibc's __inet_aton_exact: a.b.c.d, a.b.c, a.b, a, each part decimal,
 * octal or hex. 1 when NAME is one. */
int __cshim_resolver_inet_aton(const char *name, struct in_addr *out);

/* glibc's res_hnok: a name DNS may be asked for (letters, digits, '-',
 * '_' and dots; no label starting with '-'). musl asks for anything: it
 * sends "127.0.0.1 " to the server. */
int __cshim_resolver_name_ok(const char *name);

/* Stable sort by glibc's default RFC 3484 precedence (::1 50, ::/0 40,
 * 2002::/16 30, ::/96 20, IPv4 10). */
void __cshim_resolver_sort(struct cshim_resolver_result *result);

/* A reverse lookup through c-ares (PTR). 1 when found. */
int __cshim_resolver_reverse(int family, const void *address, char *name, size_t size);

/* The marker `static-musl inspect` reads: "c-ares VERSION". */
extern const char __cshim_resolver_marker[];

#endif
