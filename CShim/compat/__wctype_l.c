/* link: -Wl,--wrap=__wctype_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
wctype_t __real___wctype_l(const char *name, locale_t l);

wctype_t __wrap___wctype_l(const char *name, locale_t l)
{
	return __real___wctype_l(name, cshim_musl_locale(l));
}
