#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include "cshim_dns.h"

int cshim_dns_res_query(const char *name, int search, int qtype, char *out, size_t cap)
{
	static unsigned char answer[65536];
	int n;

	out[0] = 0;
	h_errno = 0;
	n = search ? res_search(name, C_IN, qtype, answer, sizeof answer)
		: res_query(name, C_IN, qtype, answer, sizeof answer);
	if (n < 0) {
		int e = h_errno ? h_errno : NO_RECOVERY;
		cshim_dns_append(out, cap, "status %s\n", cshim_dns_herrno_name(e));
		return e;
	}
	cshim_dns_append(out, cap, "status ok\n");
	cshim_dns_format_answer(answer, n > (int)sizeof answer ? (int)sizeof answer : n, out, cap);
	return 0;
}
