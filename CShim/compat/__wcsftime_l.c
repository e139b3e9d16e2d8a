/* link: -Wl,--wrap=__wcsftime_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
size_t __real___wcsftime_l(wchar_t *s, size_t n, const wchar_t *format, const struct tm *tm, locale_t l);

size_t __wrap___wcsftime_l(wchar_t *s, size_t n, const wchar_t *format, const struct tm *tm, locale_t l)
{
	return __real___wcsftime_l(s, n, format, tm, cshim_musl_locale(l));
}
