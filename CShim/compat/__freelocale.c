/* link: -Wl,--wrap=__freelocale */
#include <stdlib.h>
#include "glibc_locale.h"

/* Frees musl's locale and the glibc-shaped object around it (glibc_locale.h). */
void __real___freelocale(locale_t l);

void __wrap___freelocale(locale_t l)
{
	if (!cshim_is_glibc_locale(l)) { __real___freelocale(l); return; }
	__real___freelocale(cshim_musl_locale(l));
	free(l);
}
