#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include "resolver.h"

/* glibc's files backend: names compare without case; without "multi on"
 * in /etc/host.conf only the first matching line answers (musl returns
 * every line); a line of the other family does not answer (musl stops at
 * an IPv6-only line for an AF_INET lookup and says EAI_NONAME, where glibc
 * goes on to DNS). The canonical name is the line's first name. */
static int multi_on(void)
{
	char line[512];
	int multi = 0;
	FILE *f = fopen("/etc/host.conf", "re");
	if (!f) return 0;
	while (fgets(line, sizeof line, f)) {
		char *p = line, *word;
		while (isspace((unsigned char)*p)) p++;
		if (strncasecmp(p, "multi", 5) || !isspace((unsigned char)p[5])) continue;
		for (word = p + 5; isspace((unsigned char)*word); word++);
		multi = !strncasecmp(word, "on", 2);
	}
	fclose(f);
	return multi;
}

static int parse_address(const char *text, struct cshim_resolver_address *a)
{
	if (inet_pton(AF_INET, text, a->bytes) == 1) { a->family = AF_INET; return 1; }
	if (inet_pton(AF_INET6, text, a->bytes) == 1) { a->family = AF_INET6; return 1; }
	return 0;
}

int __cshim_resolver_hosts(const char *name, int family, struct cshim_resolver_result *out)
{
	char line[1024];
	int found = 0, multi;
	FILE *f = fopen("/etc/hosts", "re");
	if (!f) return 0;
	multi = multi_on();
	while (fgets(line, sizeof line, f)) {
		char *save, *tok, *hash = strchr(line, '#');
		struct cshim_resolver_address a;
		int matches = 0;
		if (hash) *hash = 0;
		tok = strtok_r(line, " \t\r\n", &save);
		if (!tok || !parse_address(tok, &a)) continue;
		if (family != AF_UNSPEC && a.family != family) continue;
		char *names[CSHIM_RESOLVER_MAX_ALIASES + 1];
		int n = 0;
		while ((tok = strtok_r(0, " \t\r\n", &save)) && n <= CSHIM_RESOLVER_MAX_ALIASES) {
			names[n++] = tok;
			if (!strcasecmp(tok, name)) matches = 1;
		}
		if (!matches || n == 0) continue;
		if (!found) {
			snprintf(out->canonical, sizeof out->canonical, "%s", names[0]);
			out->alias_count = 0;
			for (int i = 1; i < n && out->alias_count < CSHIM_RESOLVER_MAX_ALIASES; i++)
				snprintf(out->aliases[out->alias_count++], sizeof out->aliases[0], "%s", names[i]);
		}
		if (out->count < CSHIM_RESOLVER_MAX_ADDRESSES) out->addresses[out->count++] = a;
		found = 1;
		if (!multi) break;
	}
	fclose(f);
	if (found) out->from_hosts = 1;
	return found;
}

int __cshim_resolver_hosts_by_address(int family, const void *address, char *name, size_t size)
{
	char line[1024];
	FILE *f = fopen("/etc/hosts", "re");
	if (!f) return 0;
	while (fgets(line, sizeof line, f)) {
		char *save, *tok, *hash = strchr(line, '#');
		struct cshim_resolver_address a;
		if (hash) *hash = 0;
		tok = strtok_r(line, " \t\r\n", &save);
		if (!tok || !parse_address(tok, &a) || a.family != family) continue;
		if (memcmp(a.bytes, address, family == AF_INET ? 4 : 16)) continue;
		tok = strtok_r(0, " \t\r\n", &save);
		if (!tok) continue;
		snprintf(name, size, "%s", tok);
		fclose(f);
		return 1;
	}
	fclose(f);
	return 0;
}
