/* link: -Wl,--wrap=__uselocale */
#include "glibc_locale.h"

/* libstdc++.a switches to one of its locales and back:
 * `old = __uselocale(loc); ...; __uselocale(old)`. musl only knows its own
 * locale, so this thread remembers which glibc-shaped object it installed
 * and gives that back as the previous locale (glibc_locale.h). */
locale_t __real___uselocale(locale_t l);

static _Thread_local locale_t installed;

locale_t __wrap___uselocale(locale_t l)
{
	locale_t previous = __real___uselocale(cshim_musl_locale(l));
	if (installed && previous == cshim_musl_locale(installed)) previous = installed;
	if (l) installed = cshim_is_glibc_locale(l) ? l : 0;
	return previous;
}
