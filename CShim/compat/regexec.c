/* link: -Wl,--wrap=regexec */
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>

/* glibc's regoff_t is int, so its regmatch_t is 8 bytes; musl's regoff_t is
 * long and its regmatch_t 16 bytes. Swift code compiled against glibc
 * passes an array of n 8-byte matches, which musl's regexec would overrun
 * by n*8 bytes (heap corruption, then a crash in free). The musl link passes
 * -Wl,--wrap=regexec: every caller reaches this function, which lets musl
 * fill its own layout and copies the offsets back as glibc's int pairs. */
struct glibc_regmatch { int32_t rm_so, rm_eo; };

int __real_regexec(const regex_t *restrict preg, const char *restrict string,
                   size_t nmatch, regmatch_t *restrict pmatch, int eflags);

int __wrap_regexec(const regex_t *restrict preg, const char *restrict string,
                   size_t nmatch, regmatch_t *restrict pmatch, int eflags)
{
	struct glibc_regmatch *out = (struct glibc_regmatch *)pmatch;
	if (!out || !nmatch || (preg->re_nsub == 0 && (eflags & REG_NOSUB)))
		return __real_regexec(preg, string, 0, 0, eflags);
	regmatch_t stack[16], *tmp = stack;
	if (nmatch > 16 && !(tmp = malloc(nmatch * sizeof *tmp))) return REG_ESPACE;
	int rc = __real_regexec(preg, string, nmatch, tmp, eflags);
	if (rc == 0)
		for (size_t i = 0; i < nmatch; i++) {
			out[i].rm_so = (int32_t)tmp[i].rm_so;
			out[i].rm_eo = (int32_t)tmp[i].rm_eo;
		}
	if (tmp != stack) free(tmp);
	return rc;
}
