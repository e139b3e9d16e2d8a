/* link: -Wl,--wrap=glob */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

/* glibc's GNU glob flags, as glibc-compiled callers pass them. musl knows
 * none of them and would take "{a,b}.txt" literally (GLOB_NOMATCH). */
#define GLIBC_GLOB_ALTDIRFUNC (1 << 9)
#define GLIBC_GLOB_BRACE (1 << 10)
#define GLIBC_GLOB_NOMAGIC (1 << 11)
#define GLIBC_GLOB_ONLYDIR (1 << 13)

int __real_glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int), glob_t *restrict pglob);

static int has_magic(const char *p)
{
	return strpbrk(p, "*?[") != 0;
}

/* One alternative: NOMAGIC means "no metacharacters: return the pattern". */
static int one(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g, int nomagic)
{
	if (nomagic && !has_magic(pattern)) flags |= GLOB_NOCHECK;
	return __real_glob(pattern, flags, errfunc, g);
}

/* Expands the first {a,b,...} that has a top-level comma, recursively,
 * as glibc's GLOB_BRACE does: each alternative is globbed in order and
 * appended (GLOB_APPEND), so results are sorted per alternative. */
static int expand(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g,
                  int nomagic, int *first, int *matched)
{
	int escape = !(flags & GLOB_NOESCAPE);
	for (const char *open = pattern; *open; open++) {
		if (escape && *open == '\\' && open[1]) { open++; continue; }
		if (*open != '{') continue;
		int depth = 0, commas = 0;
		const char *close = 0;
		for (const char *q = open; *q; q++) {
			if (escape && *q == '\\' && q[1]) { q++; continue; }
			if (*q == '{') depth++;
			else if (*q == '}' && --depth == 0) { close = q; break; }
			else if (*q == ',' && depth == 1) commas++;
		}
		if (!close) break;
		if (!commas) continue;
		size_t n = strlen(pattern);
		char *buf = malloc(n + 1);
		if (!buf) return GLOB_NOSPACE;
		const char *alt = open + 1;
		for (;;) {
			const char *end = alt;
			depth = 0;
			while (end < close && !(depth == 0 && *end == ',')) {
				if (escape && *end == '\\' && end + 1 < close) end++;
				else if (*end == '{') depth++;
				else if (*end == '}') depth--;
				end++;
			}
			size_t pre = (size_t)(open - pattern), len = (size_t)(end - alt);
			memcpy(buf, pattern, pre);
			memcpy(buf + pre, alt, len);
			strcpy(buf + pre + len, close + 1);
			int r = expand(buf, flags, errfunc, g, nomagic, first, matched);
			if (r && r != GLOB_NOMATCH) { free(buf); return r; }
			if (end >= close) break;
			alt = end + 1;
		}
		free(buf);
		return 0;
	}
	int r = one(pattern, *first ? flags : flags | GLOB_APPEND, errfunc, g, nomagic);
	if (r == 0) { *matched = 1; *first = 0; }
	return r == GLOB_NOMATCH ? 0 : r;
}

int __wrap_glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int), glob_t *restrict pglob)
{
	if (flags & GLIBC_GLOB_ALTDIRFUNC) return GLOB_NOSYS; /* musl's glob_t has no gl_opendir & co. */
	int nomagic = flags & GLIBC_GLOB_NOMAGIC;
	int brace = flags & GLIBC_GLOB_BRACE;
	/* GLOB_ONLYDIR is only a hint in glibc too: drop it with the others. */
	flags &= ~(GLIBC_GLOB_BRACE | GLIBC_GLOB_NOMAGIC | GLIBC_GLOB_ONLYDIR);
	if (!brace) return one(pattern, flags, errfunc, pglob, nomagic);
	int first = !(flags & GLOB_APPEND), matched = 0;
	if (first) { pglob->gl_pathc = 0; pglob->gl_pathv = 0; }
	int r = expand(pattern, flags, errfunc, pglob, nomagic, &first, &matched);
	if (r) return r;
	if (!matched) {
		if (flags & GLOB_NOCHECK) return __real_glob(pattern, first ? flags : flags | GLOB_APPEND, errfunc, pglob);
		return GLOB_NOMATCH;
	}
	return 0;
}
