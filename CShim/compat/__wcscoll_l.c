/* link: -Wl,--wrap=__wcscoll_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
int __real___wcscoll_l(const wchar_t *a, const wchar_t *b, locale_t l);

int __wrap___wcscoll_l(const wchar_t *a, const wchar_t *b, locale_t l)
{
	return __real___wcscoll_l(a, b, cshim_musl_locale(l));
}
