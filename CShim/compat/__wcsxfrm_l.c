/* link: -Wl,--wrap=__wcsxfrm_l */
#include <locale.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#include "glibc_locale.h"

/* libstdc++.a passes its glibc-shaped locale: musl gets its own (glibc_locale.h). */
size_t __real___wcsxfrm_l(wchar_t *dest, const wchar_t *src, size_t n, locale_t l);

size_t __wrap___wcsxfrm_l(wchar_t *dest, const wchar_t *src, size_t n, locale_t l)
{
	return __real___wcsxfrm_l(dest, src, n, cshim_musl_locale(l));
}
