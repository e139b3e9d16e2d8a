/* link: -Wl,--wrap=fts_read */
#include "fts_glibc.h"

struct glibc_ftsent *__wrap_fts_read(FTS *stream)
{
	__cshim_fts_select(stream);
	FTSENT *e = __real_fts_read(stream);
	return e ? __cshim_fts_shadow(stream, e) : 0;
}
