/* The glibc-shaped locale object that libstdc++.a reads (see glibc_locale.h). */
#include <stdlib.h>
#include "glibc_locale.h"

const char cshim_glibc_locale_marker[] = "cshim glibc locale";

/* musl keeps glibc-layout tables for glibc-built code. */
const unsigned short **__ctype_b_loc(void);
const int32_t **__ctype_tolower_loc(void);
const int32_t **__ctype_toupper_loc(void);

locale_t cshim_glibc_locale_wrap(locale_t m, struct glibc_locale *reuse)
{
	struct glibc_locale *g = reuse ? reuse : calloc(1, sizeof *g);
	if (!g) return 0;
	g->locales[0] = (void *)cshim_glibc_locale_marker;
	g->locales[1] = m;
	g->ctype_b = *__ctype_b_loc();
	g->ctype_tolower = *__ctype_tolower_loc();
	g->ctype_toupper = *__ctype_toupper_loc();
	for (int i = 0; i < 13; i++) g->names[i] = "C";
	return (locale_t)g;
}
