/* link: -Wl,--wrap=__strcoll_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
int __real___strcoll_l(const char *a, const char *b, locale_t l);

int __wrap___strcoll_l(const char *a, const char *b, locale_t l)
{
	return __real___strcoll_l(a, b, cshim_musl_locale(l));
}
