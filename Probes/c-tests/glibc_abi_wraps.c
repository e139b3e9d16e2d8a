/* The wrappers in CShim/compat that give glibc-compiled callers glibc's
 * behaviour and layouts on musl: freeaddrinfo(NULL), regex_t.re_nsub at
 * offset 48, and 8-byte regmatch_t. Callers are simulated with glibc's
 * layouts (int32 pairs, offset 48), as Swift code compiled against glibc
 * would use them. */
#include <netdb.h>
#include <regex.h>
#include <stdint.h>
#include <string.h>
#include "check.h"

struct glibc_regmatch { int32_t rm_so, rm_eo; };

int main(void)
{
	freeaddrinfo(0); /* musl's own would dereference NULL */

	regex_t re;
	memset(&re, 0, sizeof re);
	CHECK(regcomp(&re, "(a+)(b)?c", REG_EXTENDED) == 0, "regcomp");
	size_t nsub_glibc;
	memcpy(&nsub_glibc, (char *)&re + 48, sizeof nsub_glibc);
	CHECK(nsub_glibc == 2, "re_nsub at glibc's offset 48 is %zu", nsub_glibc);

	struct glibc_regmatch m[4];
	memset(m, 0x5a, sizeof m);
	CHECK(regexec(&re, "xaac", 3, (regmatch_t *)m, 0) == 0, "regexec");
	CHECK(m[0].rm_so == 1 && m[0].rm_eo == 4, "m0 %d-%d", m[0].rm_so, m[0].rm_eo);
	CHECK(m[1].rm_so == 1 && m[1].rm_eo == 3, "m1 %d-%d", m[1].rm_so, m[1].rm_eo);
	CHECK(m[2].rm_so == -1, "m2 %d", m[2].rm_so);
	CHECK(m[3].rm_so == 0x5a5a5a5a, "regexec wrote past 3 glibc-sized matches");
	CHECK(regexec(&re, "zzz", 3, (regmatch_t *)m, 0) == REG_NOMATCH, "no match");
	regfree(&re);
	puts("PASS glibc_abi_wraps");
	return 0;
}
