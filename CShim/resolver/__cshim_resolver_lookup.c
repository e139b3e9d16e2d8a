#include <ctype.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/tcp.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ares.h>
#include "resolver.h"

#ifndef CSHIM_CARES_VERSION
#define CSHIM_CARES_VERSION "unknown"
#endif

/* What `static-musl inspect` reads to say which resolver a binary carries.
 * A section of its own, kept by --gc-sections (retain) and by strip. */
__attribute__((used, retain, section(".static_musl_resolver")))
const char __cshim_resolver_marker[] = "c-ares " CSHIM_CARES_VERSION;

static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_status = ARES_ENOTINITIALIZED;

static void library_init(void)
{
	library_status = ares_library_init(ARES_LIB_INIT_ALL);
}

/* The resolv.conf options glibc reads and c-ares 1.18 does not: timeout:N
 * (seconds; c-ares knows only "retrans:", so it waits its default 5 s),
 * attempts:N (c-ares knows only "retry:", and tries 4 times by default
 * where glibc tries 2), use-vc and no-aaaa. From the "options" lines of
 * resolv.conf, then RES_OPTIONS, which wins, with glibc's limits. */
struct glibc_options { int timeout, attempts, use_vc, no_aaaa; };

static void scan_options(const char *text, struct glibc_options *o)
{
	char buf[1024], *save, *tok;
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, " \t\r\n", &save); tok; tok = strtok_r(0, " \t\r\n", &save)) {
		if (!strncmp(tok, "timeout:", 8)) { o->timeout = atoi(tok + 8); if (o->timeout > 30) o->timeout = 30; }
		else if (!strncmp(tok, "attempts:", 9)) { o->attempts = atoi(tok + 9); if (o->attempts > 5) o->attempts = 5; }
		else if (!strcmp(tok, "use-vc") || !strcmp(tok, "usevc")) o->use_vc = 1;
		else if (!strcmp(tok, "no-aaaa")) o->no_aaaa = 1;
	}
}

static struct glibc_options glibc_options(void)
{
	struct glibc_options o = { 5, 2, 0, 0 };
	char line[1024];
	const char *env = getenv("RES_OPTIONS");
	FILE *f = fopen("/etc/resolv.conf", "re");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "options", 7) && isspace((unsigned char)line[7])) scan_options(line + 7, &o);
		fclose(f);
	}
	if (env) scan_options(env, &o);
	if (o.timeout < 1) o.timeout = 1;
	if (o.attempts < 1) o.attempts = 1;
	return o;
}

/* The response codes of the UDP answers read since the last reset.
 * c-ares 1.18 ends a query whose every server answered SERVFAIL, NOTIMP
 * or REFUSED with ARES_ECONNREFUSED, whatever the code; glibc's search
 * goes on after a SERVFAIL and stops after a REFUSED, so the shim reads
 * the codes itself, through c-ares's socket functions. */
struct rcodes { int servfail, refused; };

static ares_socket_t shim_socket(int domain, int type, int protocol, void *user)
{
	(void)user;
	int s = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (s >= 0 && type == SOCK_STREAM) {
		int one = 1;
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	return s < 0 ? ARES_SOCKET_BAD : s;
}

static int shim_close(ares_socket_t s, void *user) { (void)user; return close(s); }

static int shim_connect(ares_socket_t s, const struct sockaddr *address, ares_socklen_t length, void *user)
{
	(void)user;
	return connect(s, address, length);
}

static ares_ssize_t shim_recvfrom(ares_socket_t s, void *data, size_t size, int flags, struct sockaddr *from,
                                  ares_socklen_t *from_length, void *user)
{
	struct rcodes *seen = user;
	ssize_t n = recvfrom(s, data, size, flags, from, from_length);
	if (n >= 4 && from) {   /* a UDP datagram: a whole DNS message */
		int rcode = ((unsigned char *)data)[3] & 0x0f;
		if (rcode == ns_r_servfail) seen->servfail = 1;
		else if (rcode == ns_r_refused) seen->refused = 1;
	}
	return n;
}

static ares_ssize_t shim_sendv(ares_socket_t s, const struct iovec *vector, int count, void *user)
{
	(void)user;
	return writev(s, vector, count);
}

static const struct ares_socket_functions socket_functions = {
	shim_socket, shim_close, shim_connect, shim_recvfrom, shim_sendv,
};

static int open_channel(ares_channel *channel, struct glibc_options *glibc, struct rcodes *seen)
{
	struct ares_options options;
	int status;
	pthread_once(&library_once, library_init);
	if (library_status != ARES_SUCCESS) return library_status;
	*glibc = glibc_options();
	memset(&options, 0, sizeof options);
	options.timeout = glibc->timeout * 1000;
	options.tries = glibc->attempts;
	options.flags = glibc->use_vc ? ARES_FLAG_USEVC : 0;
	status = ares_init_options(channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
	if (status == ARES_SUCCESS) ares_set_socket_functions(*channel, &socket_functions, seen);
	return status;
}

struct answer {
	int done, status;
	unsigned char *buffer;
	int length;
};

static void on_answer(void *arg, int status, int timeouts, unsigned char *buffer, int length)
{
	struct answer *a = arg;
	(void)timeouts;
	a->done = 1;
	a->status = status;
	if (status == ARES_SUCCESS && buffer && length > 0 && (a->buffer = malloc(length))) {
		memcpy(a->buffer, buffer, length);
		a->length = length;
	}
}

/* Runs the channel until every answer is in (c-ares's timeouts end each). */
static void wait_for(ares_channel channel, struct answer *answers, int count)
{
	for (;;) {
		int pending = 0, n = 0, bits, ms;
		ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
		struct pollfd fds[ARES_GETSOCK_MAXNUM];
		struct timeval tv, *t;
		for (int i = 0; i < count; i++) pending |= !answers[i].done;
		if (!pending) return;
		bits = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short events = (ARES_GETSOCK_READABLE(bits, i) ? POLLIN : 0) | (ARES_GETSOCK_WRITABLE(bits, i) ? POLLOUT : 0);
			if (!events) continue;
			fds[n].fd = sockets[i];
			fds[n].events = events;
			fds[n].revents = 0;
			n++;
		}
		t = ares_timeout(channel, 0, &tv);
		ms = t ? (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000) : 1000;
		if (poll(fds, n, ms) <= 0) {
			ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents) continue;
			ares_process_fd(channel, fds[i].revents & (POLLIN | POLLERR | POLLHUP) ? fds[i].fd : ARES_SOCKET_BAD,
			                fds[i].revents & POLLOUT ? fds[i].fd : ARES_SOCKET_BAD);
		}
	}
}

/* Within this file a SERVFAIL is told apart from the other reasons to try
 * again: glibc's search goes on after a SERVFAIL and stops after the others. */
#define SERVFAIL (-1)

static int classify(int status)
{
	switch (status) {
	case ARES_SUCCESS: return CSHIM_RESOLVER_OK;
	case ARES_ENODATA: return CSHIM_RESOLVER_NO_DATA;
	case ARES_ENOTFOUND: return CSHIM_RESOLVER_NOT_FOUND;
	case ARES_EBADNAME: return CSHIM_RESOLVER_BAD_NAME;
	case ARES_ENOMEM: return CSHIM_RESOLVER_FAIL;
	case ARES_ESERVFAIL: return SERVFAIL;
	default: return CSHIM_RESOLVER_TRY_AGAIN;  /* REFUSED, timeout, connection refused, bad answers */
	}
}

/* Adds one answer's addresses; its status. */
static int take(struct answer *a, int type, struct cshim_resolver_result *out)
{
	struct hostent *host = 0;
	int status = a->status;
	if (status == ARES_SUCCESS)
		status = type == ns_t_a ? ares_parse_a_reply(a->buffer, a->length, &host, 0, 0)
		                        : ares_parse_aaaa_reply(a->buffer, a->length, &host, 0, 0);
	if (status == ARES_SUCCESS && host) {
		int family = type == ns_t_a ? AF_INET : AF_INET6;
		if (!out->count && host->h_name) {
			snprintf(out->canonical, sizeof out->canonical, "%s", host->h_name);
			out->alias_count = 0;
			for (char **alias = host->h_aliases; alias && *alias && out->alias_count < CSHIM_RESOLVER_MAX_ALIASES; alias++)
				snprintf(out->aliases[out->alias_count++], sizeof out->aliases[0], "%s", *alias);
		}
		for (char **p = host->h_addr_list; p && *p && out->count < CSHIM_RESOLVER_MAX_ADDRESSES; p++) {
			struct cshim_resolver_address *address = &out->addresses[out->count++];
			address->family = family;
			memcpy(address->bytes, *p, family == AF_INET ? 4 : 16);
		}
	}
	if (host) ares_free_hostent(host);
	free(a->buffer);
	a->buffer = 0;
	return classify(status);
}

/* One name as it is (no search): A, AAAA or both at once (no AAAA with
 * no-aaaa). Its status, SERVFAIL included. */
static int query(ares_channel channel, struct rcodes *seen, const char *name, int family, int no_aaaa,
                 struct cshim_resolver_result *out)
{
	struct answer answers[2];
	int types[2], count = 0, status = CSHIM_RESOLVER_NOT_FOUND;
	memset(answers, 0, sizeof answers);
	memset(seen, 0, sizeof *seen);
	if (family != AF_INET6) types[count++] = ns_t_a;
	if (family != AF_INET && !no_aaaa) types[count++] = ns_t_aaaa;
	if (!count) return CSHIM_RESOLVER_NO_DATA;
	for (int i = 0; i < count; i++) ares_query(channel, name, ns_c_in, types[i], on_answer, &answers[i]);
	wait_for(channel, answers, count);
	for (int i = 0; i < count; i++) {
		int s = take(&answers[i], types[i], out);
		if (s == CSHIM_RESOLVER_TRY_AGAIN && answers[i].status == ARES_ECONNREFUSED && seen->servfail && !seen->refused)
			s = SERVFAIL;
		/* The more telling of the two: found, no data, a failure, NXDOMAIN. */
		if (i == 0 || s == CSHIM_RESOLVER_OK || (status != CSHIM_RESOLVER_OK && s == CSHIM_RESOLVER_NO_DATA)
		    || (status == CSHIM_RESOLVER_NOT_FOUND && s != CSHIM_RESOLVER_NOT_FOUND))
			status = s;
	}
	return out->count ? CSHIM_RESOLVER_OK : status;
}

/* glibc's __res_context_search: a name ending in a dot as it is; one with
 * at least ndots dots as it is first; then the search domains (LOCALDOMAIN
 * and RES_OPTIONS already applied by c-ares), going on past NXDOMAIN,
 * NODATA and SERVFAIL and stopping at any other failure (REFUSED, a
 * timeout); then the name as it is, unless it was tried first or "." was
 * in the list. The status: the first try's, else NODATA if any name had
 * no data, else TRY_AGAIN if any SERVFAIL, else the last one's. musl stops
 * the search at anything but NXDOMAIN. */
static enum cshim_resolver_status search(ares_channel channel, struct rcodes *seen, const char *name, int family, int no_aaaa,
                                         struct cshim_resolver_result *out)
{
	struct ares_options options;
	int mask = 0, dots = 0, ndots, status, saved = -2, got_no_data = 0, got_servfail = 0, root_on_list = 0;
	size_t length = strlen(name);
	char candidate[1024];

	if (length && name[length - 1] == '.') {
		status = query(channel, seen, name, family, no_aaaa, out);
		return status == SERVFAIL ? CSHIM_RESOLVER_TRY_AGAIN : (enum cshim_resolver_status)status;
	}
	if (ares_save_options(channel, &options, &mask) != ARES_SUCCESS) return CSHIM_RESOLVER_FAIL;
	ndots = options.ndots > 15 ? 15 : options.ndots;   /* glibc's RES_MAXNDOTS */
	for (const char *p = name; *p; p++) dots += *p == '.';
	int tried_as_is = dots >= ndots;
	status = CSHIM_RESOLVER_NOT_FOUND;
	if (tried_as_is) {
		status = query(channel, seen, name, family, no_aaaa, out);
		if (status == CSHIM_RESOLVER_OK) goto done;
		saved = status;
	}
	for (int i = 0; i < options.ndomains; i++) {
		const char *domain = options.domains[i];
		if (!strcmp(domain, ".") || !*domain) {
			root_on_list = 1;
			snprintf(candidate, sizeof candidate, "%s.", name);
		} else {
			snprintf(candidate, sizeof candidate, "%s.%s", name, domain);
		}
		status = query(channel, seen, candidate, family, no_aaaa, out);
		if (status == CSHIM_RESOLVER_OK) goto done;
		if (status == CSHIM_RESOLVER_NO_DATA) got_no_data = 1;
		else if (status == SERVFAIL) got_servfail = 1;
		else if (status != CSHIM_RESOLVER_NOT_FOUND && status != CSHIM_RESOLVER_BAD_NAME) break;
	}
	if (!tried_as_is && !root_on_list) {
		status = query(channel, seen, name, family, no_aaaa, out);
		if (status == CSHIM_RESOLVER_OK) goto done;
	}
	if (saved != -2) status = saved;
	else if (got_no_data) status = CSHIM_RESOLVER_NO_DATA;
	else if (got_servfail) status = CSHIM_RESOLVER_TRY_AGAIN;
done:
	ares_destroy_options(&options);
	return status == SERVFAIL ? CSHIM_RESOLVER_TRY_AGAIN : (enum cshim_resolver_status)status;
}

enum cshim_resolver_status __cshim_resolver_lookup(const char *name, int family, struct cshim_resolver_result *out)
{
	ares_channel channel;
	struct ares_options options;
	int mask = 0;
	struct glibc_options glibc;
	struct rcodes seen = { 0, 0 };
	enum cshim_resolver_status status = CSHIM_RESOLVER_NOT_FOUND;
	const char *order = "fb";
	char lookups[8];

	memset(out, 0, sizeof *out);
	__asm__ volatile("" : : "r"(__cshim_resolver_marker));
	if (!*name) return CSHIM_RESOLVER_NOT_FOUND;
	if (open_channel(&channel, &glibc, &seen) != ARES_SUCCESS) return CSHIM_RESOLVER_FAIL;
	/* nsswitch.conf's "hosts:" line, as c-ares read it: f files, b DNS. */
	if (ares_save_options(channel, &options, &mask) == ARES_SUCCESS) {
		if ((mask & ARES_OPT_LOOKUPS) && options.lookups) {
			snprintf(lookups, sizeof lookups, "%s", options.lookups);
			order = lookups;
		}
		ares_destroy_options(&options);
	}
	for (const char *step = order; *step && status != CSHIM_RESOLVER_OK; step++) {
		if (*step == 'f') {
			if (__cshim_resolver_hosts(name, family, out)) status = CSHIM_RESOLVER_OK;
		} else if (*step == 'b') {
			status = search(channel, &seen, name, family, glibc.no_aaaa, out);
		}
	}
	ares_destroy(channel);
	if (status == CSHIM_RESOLVER_OK) {
		if (!out->canonical[0]) snprintf(out->canonical, sizeof out->canonical, "%s", name);
		size_t n = strlen(out->canonical);
		if (n > 1 && out->canonical[n - 1] == '.') out->canonical[n - 1] = 0;
		if (family == AF_UNSPEC) __cshim_resolver_sort(out);
	}
	return status;
}

int __cshim_resolver_reverse(int family, const void *address, char *name, size_t size)
{
	ares_channel channel;
	struct glibc_options glibc;
	struct rcodes seen = { 0, 0 };
	struct answer answer;
	char query_name[128];
	const unsigned char *b = address;
	int found = 0;
	if (family == AF_INET) {
		snprintf(query_name, sizeof query_name, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
	} else {
		char *p = query_name;
		for (int i = 15; i >= 0; i--) p += sprintf(p, "%x.%x.", b[i] & 15, b[i] >> 4);
		strcpy(p, "ip6.arpa");
	}
	if (open_channel(&channel, &glibc, &seen) != ARES_SUCCESS) return 0;
	memset(&answer, 0, sizeof answer);
	ares_query(channel, query_name, ns_c_in, ns_t_ptr, on_answer, &answer);
	wait_for(channel, &answer, 1);
	if (answer.status == ARES_SUCCESS) {
		struct hostent *host = 0;
		if (ares_parse_ptr_reply(answer.buffer, answer.length, address, family == AF_INET ? 4 : 16, family, &host) == ARES_SUCCESS
		    && host && host->h_name) {
			snprintf(name, size, "%s", host->h_name);
			found = 1;
		}
		if (host) ares_free_hostent(host);
	}
	free(answer.buffer);
	ares_destroy(channel);
	return found;
}
