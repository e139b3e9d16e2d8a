#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "resolver.h"

/* getnameinfo: /etc/hosts, then a PTR query through c-ares; the service
 * from /etc/services unless NI_NUMERICSERV. */
int getnameinfo(const struct sockaddr *restrict sa, socklen_t length, char *restrict host, socklen_t host_size,
                char *restrict service, socklen_t service_size, int flags)
{
	const void *address;
	int family, port;
	char name[256];
	if (!sa) return EAI_FAMILY;
	family = sa->sa_family;
	if (family == AF_INET && length >= sizeof(struct sockaddr_in)) {
		address = &((const struct sockaddr_in *)sa)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	} else if (family == AF_INET6 && length >= sizeof(struct sockaddr_in6)) {
		address = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	} else {
		return EAI_FAMILY;
	}
	if (host && host_size) {
		int found = 0;
		if (!(flags & NI_NUMERICHOST))
			found = __cshim_resolver_hosts_by_address(family, address, name, sizeof name)
			     || __cshim_resolver_reverse(family, address, name, sizeof name);
		if (!found) {
			if (flags & NI_NAMEREQD) return EAI_NONAME;
			if (!inet_ntop(family, address, name, sizeof name)) return EAI_SYSTEM;
		} else if (flags & NI_NOFQDN) {
			char *dot = strchr(name, '.');
			if (dot) *dot = 0;
		}
		if (strlen(name) >= host_size) return EAI_OVERFLOW;
		strcpy(host, name);
	}
	if (service && service_size) {
		struct servent entry, *found = 0;
		char buffer[1024];
		if (!(flags & NI_NUMERICSERV)
		    && !getservbyport_r(htons((unsigned short)port), flags & NI_DGRAM ? "udp" : "tcp", &entry, buffer, sizeof buffer, &found)
		    && found)
			snprintf(name, sizeof name, "%s", found->s_name);
		else
			snprintf(name, sizeof name, "%d", port);
		if (strlen(name) >= service_size) return EAI_OVERFLOW;
		strcpy(service, name);
	}
	return 0;
}
