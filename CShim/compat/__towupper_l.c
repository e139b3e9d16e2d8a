/* link: -Wl,--wrap=__towupper_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
wint_t __real___towupper_l(wint_t c, locale_t l);

wint_t __wrap___towupper_l(wint_t c, locale_t l)
{
	return __real___towupper_l(c, cshim_musl_locale(l));
}
