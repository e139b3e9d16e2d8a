#include <sys/resource.h>
#include "cshim_malloc.h"

int cshim_malloc_rusage(double *user_s, double *sys_s, int64_t *peak_rss_kb)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru)) return -1;
	*user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	*peak_rss_kb = ru.ru_maxrss; /* Linux: KiB */
	return 0;
}
