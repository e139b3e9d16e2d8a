/* link: -Wl,--wrap=__duplocale */
#include <stdlib.h>
#include "glibc_locale.h"

/* A copy of one of libstdc++.a's locales is one too (glibc_locale.h). */
locale_t __real___duplocale(locale_t l);

locale_t __wrap___duplocale(locale_t l)
{
	if (!cshim_is_glibc_locale(l)) return __real___duplocale(l);
	locale_t m = __real___duplocale(cshim_musl_locale(l));
	if (!m) return 0;
	locale_t g = cshim_glibc_locale_wrap(m, 0);
	if (!g) freelocale(m);
	return g;
}
