/* The C resolver probe of the dns lab. It performs one lookup (twice with
 * --then-copy, rewriting a file in between) and prints the result as lines:
 *   probe c <libc> <version>
 *   lookup 1
 *   status ok | EAI_* | HOST_NOT_FOUND ...
 *   canon NAME / addr ADDRESS ... / end
 * Usage: dns_probe --call getaddrinfo|gethostbyname|res_query|res_search
 *        --name NAME [--family unspec|inet|inet6] [--flags AI_X,AI_Y]
 *        [--service S] [--null-hints] [--qtype N] [--then-copy SRC DST]
 * The Swift probe (Sources/DNSProbe) accepts the same arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cshim_platform.h"
#include "cshim_dns.h"

static const struct { const char *name; int bit; } flag_names[] = {
	{ "AI_CANONNAME", CSHIM_AI_CANONNAME }, { "AI_ADDRCONFIG", CSHIM_AI_ADDRCONFIG },
	{ "AI_NUMERICHOST", CSHIM_AI_NUMERICHOST }, { "AI_V4MAPPED", CSHIM_AI_V4MAPPED },
	{ "AI_ALL", CSHIM_AI_ALL }, { "AI_NUMERICSERV", CSHIM_AI_NUMERICSERV },
	{ "AI_PASSIVE", CSHIM_AI_PASSIVE },
};

static int parse_flags(const char *s)
{
	int r = 0;
	char buf[256], *tok, *save;
	size_t i;
	snprintf(buf, sizeof buf, "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(0, ",", &save)) {
		for (i = 0; i < sizeof flag_names / sizeof *flag_names; i++)
			if (!strcmp(tok, flag_names[i].name)) break;
		if (i == sizeof flag_names / sizeof *flag_names) {
			fprintf(stderr, "dns_probe: unknown flag %s\n", tok);
			exit(2);
		}
		r |= flag_names[i].bit;
	}
	return r;
}

static int copy_file(const char *src, const char *dst)
{
	char buf[8192];
	size_t n;
	FILE *in = fopen(src, "r"), *out;
	if (!in) return -1;
	n = fread(buf, 1, sizeof buf, in);
	fclose(in);
	out = fopen(dst, "w");
	if (!out) return -1;
	fwrite(buf, 1, n, out);
	return fclose(out);
}

int main(int argc, char **argv)
{
	static char out[65536];
	const char *call = "getaddrinfo", *name = 0, *service = 0, *src = 0, *dst = 0;
	int family = CSHIM_FAMILY_UNSPEC, flags = 0, null_hints = 0, qtype = 1, i, round;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
		if (!strcmp(a, "--null-hints")) { null_hints = 1; continue; }
		if (!v) { fprintf(stderr, "dns_probe: %s needs a value\n", a); return 2; }
		if (!strcmp(a, "--call")) call = v;
		else if (!strcmp(a, "--name")) name = v;
		else if (!strcmp(a, "--service")) service = v;
		else if (!strcmp(a, "--qtype")) qtype = atoi(v);
		else if (!strcmp(a, "--flags")) flags = parse_flags(v);
		else if (!strcmp(a, "--family"))
			family = !strcmp(v, "inet") ? CSHIM_FAMILY_INET : !strcmp(v, "inet6") ? CSHIM_FAMILY_INET6 : CSHIM_FAMILY_UNSPEC;
		else if (!strcmp(a, "--then-copy") && i + 2 < argc) { src = v; dst = argv[i + 2]; i++; }
		else { fprintf(stderr, "dns_probe: unknown argument %s\n", a); return 2; }
		i++;
	}
	if (!name) { fprintf(stderr, "dns_probe: --name is required\n"); return 2; }
	printf("probe c %s %s\n", cshim_libc_name(), cshim_libc_version());
	for (round = 1; round <= (src ? 2 : 1); round++) {
		if (round == 2 && copy_file(src, dst)) { fprintf(stderr, "dns_probe: cannot copy %s to %s\n", src, dst); return 3; }
		if (!strcmp(call, "getaddrinfo")) cshim_dns_getaddrinfo(name, service, family, flags, null_hints, out, sizeof out);
		else if (!strcmp(call, "gethostbyname")) cshim_dns_gethostbyname(name, family, out, sizeof out);
		else if (!strcmp(call, "res_query")) cshim_dns_res_query(name, 0, qtype, out, sizeof out);
		else if (!strcmp(call, "res_search")) cshim_dns_res_query(name, 1, qtype, out, sizeof out);
		else { fprintf(stderr, "dns_probe: unknown call %s\n", call); return 2; }
		printf("lookup %d\n%send\n", round, out);
		fflush(stdout);
	}
	return 0;
}
