#include <ctype.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include "resolver.h"

/* glibc's getaddrinfo takes a name as numeric IPv4 when __inet_aton_exact
 * does: parts decimal, 0-octal or 0x-hex, the last part filling the
 * remaining bytes (127.1 is 127.0.0.1), nothing after the last part. */
int __cshim_resolver_inet_aton(const char *name, struct in_addr *out)
{
	unsigned long parts[4];
	int n = 0;
	const char *p = name;
	for (;;) {
		char *end;
		if (!isdigit((unsigned char)*p)) return 0;
		parts[n] = strtoul(p, &end, 0);
		if (end == p) return 0;
		p = end;
		n++;
		if (*p == '.') {
			if (n == 4) return 0;
			p++;
			continue;
		}
		if (*p) return 0;
		break;
	}
	unsigned long value;
	switch (n) {
	case 1: value = parts[0]; if (value > 0xffffffffUL) return 0; break;
	case 2: if (parts[0] > 0xff || parts[1] > 0xffffff) return 0;
		value = parts[0] << 24 | parts[1]; break;
	case 3: if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff) return 0;
		value = parts[0] << 24 | parts[1] << 16 | parts[2]; break;
	default: if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xff || parts[3] > 0xff) return 0;
		value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]; break;
	}
	if (out) out->s_addr = htonl((unsigned)value);
	return 1;
}
