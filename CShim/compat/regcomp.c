/* link: -Wl,--wrap=regcomp */
#include <regex.h>

/* glibc's regex_t has re_nsub at offset 48; musl's at offset 0, with a
 * spare size_t (__nsub2) at offset 48 that musl's regcomp leaves unset.
 * Swift code compiled against glibc reads `re_nsub` at 48 and so sees 0
 * subexpressions. The musl link passes -Wl,--wrap=regcomp: store the count
 * where glibc-compiled code looks for it. */
int __real_regcomp(regex_t *restrict preg, const char *restrict pattern, int cflags);

int __wrap_regcomp(regex_t *restrict preg, const char *restrict pattern, int cflags)
{
	int rc = __real_regcomp(preg, pattern, cflags);
	if (rc == 0) preg->__nsub2 = preg->re_nsub;
	return rc;
}
