/* link: -Wl,--wrap=fts_children */
#include "fts_glibc.h"

/* The list is linked through the shadows' fts_link, as glibc links it. */
struct glibc_ftsent *__wrap_fts_children(FTS *stream, int options)
{
	__cshim_fts_select(stream);
	FTSENT *e = __real_fts_children(stream, options);
	struct glibc_ftsent *head = 0, *tail = 0;
	for (; e; e = e->fts_link) {
		struct glibc_ftsent *g = __cshim_fts_shadow(stream, e);
		if (!g) break;
		if (tail) tail->fts_link = g; else head = g;
		tail = g;
	}
	return head;
}
