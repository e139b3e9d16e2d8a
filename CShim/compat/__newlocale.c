/* link: -Wl,--wrap=__newlocale */
#include <stdlib.h>
#include "glibc_locale.h"

/* libstdc++.a's locales (glibc_locale.h): musl's locale inside a
 * glibc-shaped object. With a base, POSIX reuses the base: so do we. */
locale_t __real___newlocale(int mask, const char *name, locale_t base);

locale_t __wrap___newlocale(int mask, const char *name, locale_t base)
{
	struct glibc_locale *ours = cshim_is_glibc_locale(base) ? (struct glibc_locale *)base : 0;
	locale_t m = __real___newlocale(mask, name, cshim_musl_locale(base));
	if (!m) return 0;
	locale_t g = cshim_glibc_locale_wrap(m, ours);
	if (!g) freelocale(m);
	return g;
}
