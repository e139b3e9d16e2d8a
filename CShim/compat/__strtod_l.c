/* link: -Wl,--wrap=__strtod_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
double __real___strtod_l(const char *s, char **end, locale_t l);

double __wrap___strtod_l(const char *s, char **end, locale_t l)
{
	return __real___strtod_l(s, end, cshim_musl_locale(l));
}
