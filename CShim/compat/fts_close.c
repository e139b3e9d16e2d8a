/* link: -Wl,--wrap=fts_close */
#include "fts_glibc.h"

int __wrap_fts_close(FTS *stream)
{
	int r = __real_fts_close(stream);
	__cshim_fts_unregister(stream);
	return r;
}
