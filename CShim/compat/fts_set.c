/* link: -Wl,--wrap=fts_set */
#include "fts_glibc.h"

int __wrap_fts_set(FTS *stream, struct glibc_ftsent *entry, int instr)
{
	FTSENT *e = __cshim_fts_musl(entry);
	if (e) entry->fts_instr = (unsigned short)instr;
	return __real_fts_set(stream, e, instr);
}
