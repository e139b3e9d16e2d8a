/* The C resolver probe of the dns lab. It performs one lookup (twice with
 * --then-copy, rewriting a file in between) and prints the result as lines:
 *   probe c <libc> <version>
 *   lookup 1
 *   status ok | EAI_* | HOST_NOT_FOUND ...
 *   canon NAME / addr ADDRESS ... / end
 * Usage: dns_probe --call getaddrinfo|gethostbyname|res_query|res_search
 *        --name NAME [--family unspec|inet|inet6] [--flags AI_X,AI_Y]
 *        [--service S] [--null-hints] [--qtype N] [--then-copy SRC DST]
 *        [--threads N --rounds R]
 * With --threads (getaddrinfo only), N threads look up at once, each R
 * times; "{thread}" in NAME becomes the thread's number. Each thread prints
 * one block (lookup i+1) with its first result; when a later round of that
 * thread differs from its first, a last line "status inconsistent: K of R
 * rounds differ" says so. A resolver that mixes up concurrent queries shows
 * up as a thread with another thread's addresses, or as inconsistent.
 * The Swift probe (Sources/DNSProbe) accepts the same arguments. */
#include <pthread.h>
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

enum { max_threads = 64, out_size = 65536 };

struct worker {
	pthread_t thread;
	int index, rounds, family, flags, null_hints, differing;
	const char *service;
	char name[512];
	char *first, *current;
};

/* NAME with every "{thread}" replaced by the thread's number. */
static void thread_name(char *to, size_t cap, const char *name, int index)
{
	const char *mark = "{thread}";
	size_t used = 0, mark_len = strlen(mark);
	while (*name && used + 1 < cap) {
		if (!strncmp(name, mark, mark_len)) {
			used += snprintf(to + used, cap - used, "%d", index);
			if (used >= cap) used = cap - 1;
			name += mark_len;
		} else {
			to[used++] = *name++;
		}
	}
	to[used] = 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	int round;
	cshim_dns_getaddrinfo(w->name, w->service, w->family, w->flags, w->null_hints, w->first, out_size);
	for (round = 2; round <= w->rounds; round++) {
		cshim_dns_getaddrinfo(w->name, w->service, w->family, w->flags, w->null_hints, w->current, out_size);
		if (strcmp(w->first, w->current)) w->differing++;
	}
	return 0;
}

static int run_threads(int threads, int rounds, const char *name, const char *service, int family, int flags, int null_hints)
{
	static struct worker workers[max_threads];
	int i;
	for (i = 0; i < threads; i++) {
		struct worker *w = &workers[i];
		w->index = i; w->rounds = rounds; w->family = family; w->flags = flags;
		w->null_hints = null_hints; w->service = service; w->differing = 0;
		thread_name(w->name, sizeof w->name, name, i);
		w->first = calloc(1, out_size);
		w->current = calloc(1, out_size);
		if (!w->first || !w->current) { fprintf(stderr, "dns_probe: out of memory\n"); return 3; }
	}
	for (i = 0; i < threads; i++)
		if (pthread_create(&workers[i].thread, 0, work, &workers[i])) {
			fprintf(stderr, "dns_probe: cannot start thread %d\n", i);
			return 3;
		}
	for (i = 0; i < threads; i++) pthread_join(workers[i].thread, 0);
	for (i = 0; i < threads; i++) {
		printf("lookup %d\nthread %d %s\n%s", i + 1, i, workers[i].name, workers[i].first);
		if (workers[i].differing)
			printf("status inconsistent: %d of %d rounds differ\n", workers[i].differing, rounds);
		printf("end\n");
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static char out[65536];
	const char *call = "getaddrinfo", *name = 0, *service = 0, *src = 0, *dst = 0;
	int family = CSHIM_FAMILY_UNSPEC, flags = 0, null_hints = 0, qtype = 1, i, round, threads = 0, rounds = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
		if (!strcmp(a, "--null-hints")) { null_hints = 1; continue; }
		if (!v) { fprintf(stderr, "dns_probe: %s needs a value\n", a); return 2; }
		if (!strcmp(a, "--call")) call = v;
		else if (!strcmp(a, "--name")) name = v;
		else if (!strcmp(a, "--service")) service = v;
		else if (!strcmp(a, "--qtype")) qtype = atoi(v);
		else if (!strcmp(a, "--threads")) threads = atoi(v);
		else if (!strcmp(a, "--rounds")) rounds = atoi(v);
		else if (!strcmp(a, "--flags")) flags = parse_flags(v);
		else if (!strcmp(a, "--family"))
			family = !strcmp(v, "inet") ? CSHIM_FAMILY_INET : !strcmp(v, "inet6") ? CSHIM_FAMILY_INET6 : CSHIM_FAMILY_UNSPEC;
		else if (!strcmp(a, "--then-copy") && i + 2 < argc) { src = v; dst = argv[i + 2]; i++; }
		else { fprintf(stderr, "dns_probe: unknown argument %s\n", a); return 2; }
		i++;
	}
	if (!name) { fprintf(stderr, "dns_probe: --name is required\n"); return 2; }
	printf("probe c %s %s\n", cshim_libc_name(), cshim_libc_version());
	if (threads) {
		if (threads < 1 || threads > max_threads || rounds < 1 || strcmp(call, "getaddrinfo") || src) {
			fprintf(stderr, "dns_probe: --threads wants 1 to %d threads, --rounds at least 1, getaddrinfo and no --then-copy\n", max_threads);
			return 2;
		}
		return run_threads(threads, rounds, name, service, family, flags, null_hints);
	}
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
