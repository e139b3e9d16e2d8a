/* link: -Wl,--wrap=__nl_langinfo_l */
#include <langinfo.h>
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
char * __real___nl_langinfo_l(nl_item item, locale_t l);

char * __wrap___nl_langinfo_l(nl_item item, locale_t l)
{
	return __real___nl_langinfo_l(item, cshim_musl_locale(l));
}
