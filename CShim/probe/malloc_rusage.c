#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include "cshim_malloc.h"

/* Peak RSS of this process image: VmHWM. getrusage's ru_maxrss is not
 * used for it because Linux carries it across fork and exec, so a child
 * would report its (larger) parent's peak. */
static int64_t vm_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long long kb = -1;
	if (!f) return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6) && sscanf(line + 6, "%lld", &kb) == 1) break;
	fclose(f);
	return kb;
}

int cshim_malloc_rusage(double *user_s, double *sys_s, int64_t *peak_rss_kb)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru)) return -1;
	*user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	int64_t hwm = vm_hwm_kb();
	*peak_rss_kb = hwm > 0 ? hwm : ru.ru_maxrss;
	return 0;
}
