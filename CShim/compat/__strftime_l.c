/* link: -Wl,--wrap=__strftime_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
size_t __real___strftime_l(char *s, size_t n, const char *format, const struct tm *tm, locale_t l);

size_t __wrap___strftime_l(char *s, size_t n, const char *format, const struct tm *tm, locale_t l)
{
	return __real___strftime_l(s, n, format, tm, cshim_musl_locale(l));
}
