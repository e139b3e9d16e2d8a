#include <string.h>
#include <sys/socket.h>
#include "resolver.h"

/* glibc orders getaddrinfo's answers by RFC 3484's rules with its default
 * policy table (no gai.conf here): in a namespace without routes every
 * source address is unusable alike, so precedence decides, and IPv6
 * (40) comes before IPv4 (10). musl 1.2.3 uses RFC 6724's table, where a
 * ULA (fd00::/8, precedence 3) goes after IPv4. The sort is stable: equal
 * precedence keeps the DNS answer's order. */
static int precedence(const struct cshim_resolver_address *a)
{
	static const unsigned char loopback[16] = { [15] = 1 };
	static const unsigned char v4compat[12] = { 0 };
	if (a->family == AF_INET) return 10;
	if (!memcmp(a->bytes, loopback, 16)) return 50;
	if (a->bytes[0] == 0x20 && a->bytes[1] == 0x02) return 30;
	if (!memcmp(a->bytes, v4compat, 12)) return 20;
	if (!memcmp(a->bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) return 10;
	return 40;
}

void __cshim_resolver_sort(struct cshim_resolver_result *r)
{
	for (int i = 1; i < r->count; i++) {
		struct cshim_resolver_address key = r->addresses[i];
		int p = precedence(&key), j = i - 1;
		while (j >= 0 && precedence(&r->addresses[j]) < p) {
			r->addresses[j + 1] = r->addresses[j];
			j--;
		}
		r->addresses[j + 1] = key;
	}
}
