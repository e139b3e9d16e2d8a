#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "resolver.h"

#ifndef NETDB_INTERNAL
#define NETDB_INTERNAL (-1)
#endif

/* gethostbyname2_r through __cshim_resolver_lookup: /etc/hosts and DNS in
 * nsswitch.conf's order, glibc's search. h_aliases holds the CNAME chain
 * (glibc), not the name asked for and its search expansion (musl).
 * Returns 0, or ERANGE when BUFFER is too small; *ERRNO_OUT is h_errno. */
int gethostbyname2_r(const char *name, int family, struct hostent *host, char *buffer, size_t size,
                     struct hostent **result, int *errno_out)
{
	struct cshim_resolver_result *r;
	enum cshim_resolver_status status;
	size_t length = family == AF_INET ? 4 : 16;
	*result = 0;
	if (family != AF_INET && family != AF_INET6) { *errno_out = NO_RECOVERY; return EAFNOSUPPORT; }
	if (!(r = malloc(sizeof *r))) { *errno_out = NO_RECOVERY; return ENOMEM; }
	memset(r, 0, sizeof *r);
	if (family == AF_INET ? __cshim_resolver_inet_aton(name, (struct in_addr *)r->addresses[0].bytes)
	                      : inet_pton(AF_INET6, name, r->addresses[0].bytes) == 1) {
		r->count = 1;
		r->addresses[0].family = family;
		snprintf(r->canonical, sizeof r->canonical, "%s", name);
		status = CSHIM_RESOLVER_OK;
	} else if (!__cshim_resolver_name_ok(name)) {
		status = CSHIM_RESOLVER_NOT_FOUND;
	} else {
		status = __cshim_resolver_lookup(name, family, r);
	}
	if (status != CSHIM_RESOLVER_OK) {
		*errno_out = status == CSHIM_RESOLVER_NO_DATA ? NO_DATA
			: status == CSHIM_RESOLVER_TRY_AGAIN ? TRY_AGAIN
			: status == CSHIM_RESOLVER_FAIL ? NO_RECOVERY : HOST_NOT_FOUND;
		free(r);
		return 0;
	}
	/* The buffer: the pointer arrays (aligned), the addresses, the names. */
	size_t pointers = (size_t)(r->alias_count + 1 + r->count + 1) * sizeof(char *);
	size_t needed = pointers + (size_t)r->count * length + strlen(r->canonical) + 1 + sizeof(char *);
	for (int i = 0; i < r->alias_count; i++) needed += strlen(r->aliases[i]) + 1;
	uintptr_t misalign = (uintptr_t)buffer % sizeof(char *);
	if (misalign) { buffer += sizeof(char *) - misalign; size = size > sizeof(char *) - misalign ? size - (sizeof(char *) - misalign) : 0; }
	if (size < needed) { free(r); *errno_out = NETDB_INTERNAL; errno = ERANGE; return ERANGE; }
	char **aliases = (char **)buffer, **list = aliases + r->alias_count + 1, *p = buffer + pointers;
	for (int i = 0; i < r->count; i++, p += length) {
		memcpy(p, r->addresses[i].bytes, length);
		list[i] = p;
	}
	list[r->count] = 0;
	host->h_name = strcpy(p, r->canonical);
	p += strlen(p) + 1;
	for (int i = 0; i < r->alias_count; i++) {
		aliases[i] = strcpy(p, r->aliases[i]);
		p += strlen(p) + 1;
	}
	aliases[r->alias_count] = 0;
	host->h_aliases = aliases;
	host->h_addrtype = family;
	host->h_length = (int)length;
	host->h_addr_list = list;
	*result = host;
	*errno_out = 0;
	free(r);
	return 0;
}
