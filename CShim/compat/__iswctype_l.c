/* link: -Wl,--wrap=__iswctype_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
int __real___iswctype_l(wint_t c, wctype_t type, locale_t l);

int __wrap___iswctype_l(wint_t c, wctype_t type, locale_t l)
{
	return __real___iswctype_l(c, type, cshim_musl_locale(l));
}
