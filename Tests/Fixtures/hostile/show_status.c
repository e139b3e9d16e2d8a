/* show_status: for the scratch hardening tests. Prints the capability
 * sets and NoNewPrivs lines of /proc/self/status, as the kernel sees the
 * program after the sandbox has exec'd it. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10))
			fputs(line, stdout);
	fclose(f);
	return 0;
}
