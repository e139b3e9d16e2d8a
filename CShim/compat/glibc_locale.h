/* glibc's locale object, as libstdc++.a sees it. Internal to compat/.
 *
 * The toolchain's libstdc++.a was built for glibc with the "gnu" locale
 * model: it creates locales with __newlocale and reads three fields of
 * glibc's struct __locale_struct directly (the ctype classification and
 * case tables), then hands the same pointer to __uselocale and the *_l
 * functions. musl's __newlocale returns musl's much smaller struct, so
 * std::ctype<char> read NULL tables and crashed (std::isalpha(c, loc),
 * std::use_facet<std::ctype<char>>(loc).toupper).
 *
 * The musl link wraps every locale function libstdc++.a calls: __newlocale
 * and __duplocale return a glibc-shaped object that holds musl's locale, and
 * every other wrapper unwraps it before calling musl. The tables are musl's
 * own glibc-compatible ones (__ctype_b_loc and friends). A pointer that is
 * not one of ours (musl's own, LC_GLOBAL_LOCALE, NULL) passes through. */
#ifndef CSHIM_GLIBC_LOCALE_H
#define CSHIM_GLIBC_LOCALE_H
#include <locale.h>
#include <stdint.h>

struct glibc_locale {
	void *locales[13];               /* [0] the marker below, [1] musl's locale_t */
	const unsigned short *ctype_b;   /* glibc: __ctype_b */
	const int32_t *ctype_tolower;    /* glibc: __ctype_tolower */
	const int32_t *ctype_toupper;    /* glibc: __ctype_toupper */
	const char *names[13];
};
_Static_assert(sizeof(struct glibc_locale) == 232, "glibc's struct __locale_struct is 232 bytes on LP64");

/* The first word of a musl locale is a category pointer; never this. */
extern const char cshim_glibc_locale_marker[];

static inline int cshim_is_glibc_locale(locale_t l)
{
	return l && l != LC_GLOBAL_LOCALE && ((struct glibc_locale *)l)->locales[0] == (void *)cshim_glibc_locale_marker;
}

static inline locale_t cshim_musl_locale(locale_t l)
{
	return cshim_is_glibc_locale(l) ? (locale_t)((struct glibc_locale *)l)->locales[1] : l;
}

/* Wraps musl's locale m, in `reuse` when given (newlocale with a base). */
locale_t cshim_glibc_locale_wrap(locale_t m, struct glibc_locale *reuse);
#endif
