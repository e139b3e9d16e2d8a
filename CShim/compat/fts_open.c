/* link: -Wl,--wrap=fts_open */
#include <errno.h>
#include "fts_glibc.h"

/* fts for glibc-compiled callers: see fts_glibc.h. */
FTS *__wrap_fts_open(char *const *paths, int options, glibc_fts_compar compar)
{
	__cshim_fts_set_compar(compar);
	FTS *stream = __real_fts_open(paths, options, compar ? __cshim_fts_trampoline : 0);
	__cshim_fts_set_compar(0);
	if (stream && __cshim_fts_register(stream, compar) < 0) {
		__real_fts_close(stream);
		errno = ENOMEM;
		return 0;
	}
	return stream;
}
