/* scratch_layout: prints what a container-like root looks like from the
 * inside, one "what: value" line each, for the scratch tests. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *label, const char *path)
{
	char *names[256];
	struct dirent *e;
	DIR *d = opendir(path);
	int n = 0, i;

	printf("%s:", label);
	if (!d) {
		printf(" (missing)\n");
		return;
	}
	while ((e = readdir(d)) && n < 256)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	for (i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void first_line(const char *label, const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("%s: (missing)\n", label);
		return;
	}
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	fclose(f);
	printf("%s: %s\n", label, buf);
}

int main(void)
{
	struct utsname u;
	FILE *z = fopen("/dev/zero", "r");
	int c = z ? fgetc(z) : -1;

	list("root", "/");
	list("dev", "/dev");
	list("etc", "/etc");
	first_line("hostname-file", "/etc/hostname");
	first_line("resolv", "/etc/resolv.conf");
	uname(&u);
	printf("uname: %s\n", u.nodename);
	printf("pid: %d\n", (int)getpid());
	printf("dev-zero: %d\n", c);
	if (z)
		fclose(z);
	printf("proc-self: %s\n", access("/proc/self/exe", F_OK) ? "missing" : "ok");
	list("net", "/sys/class/net");
	return 0;
}
