/* glibc's GLOB_BRACE (1<<10) and GLOB_NOMAGIC (1<<11), as glibc-compiled
 * callers pass them, on musl through CShim/compat's glob wrapper. The same
 * file compiled with gcc passes against glibc itself (same order, same codes). */
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#define GLIBC_GLOB_BRACE (1 << 10)
#define GLIBC_GLOB_NOMAGIC (1 << 11)

static const char *base(const char *p) { const char *s = strrchr(p, '/'); return s ? s + 1 : p; }

int main(void)
{
	char dir[] = "/tmp/cshim-glob-XXXXXX", path[600], pat[700];
	CHECK(mkdtemp(dir), "mkdtemp");
	const char *names[] = { "a.txt", "b.txt", "c.md", "d.c", 0 };
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		int fd = open(path, O_CREAT | O_WRONLY, 0644);
		CHECK(fd >= 0, "create");
		close(fd);
	}
	glob_t g;
	snprintf(pat, sizeof pat, "%s/{c,a}.*", dir);
	CHECK(glob(pat, GLIBC_GLOB_BRACE, 0, &g) == 0, "brace glob");
	CHECK(g.gl_pathc == 2 && !strcmp(base(g.gl_pathv[0]), "c.md") && !strcmp(base(g.gl_pathv[1]), "a.txt"),
	      "per-alternative order: %zu %s", g.gl_pathc, g.gl_pathc ? g.gl_pathv[0] : "");
	globfree(&g);
	snprintf(pat, sizeof pat, "%s/{{a,b}.txt,d.{c,h}}", dir);
	CHECK(glob(pat, GLIBC_GLOB_BRACE, 0, &g) == 0 && g.gl_pathc == 3, "nested braces: %zu", g.gl_pathc);
	globfree(&g);
	snprintf(pat, sizeof pat, "%s/{x,y}.none", dir);
	CHECK(glob(pat, GLIBC_GLOB_BRACE, 0, &g) == GLOB_NOMATCH, "no match");
	snprintf(pat, sizeof pat, "%s/plain-{not-there}", dir);
	CHECK(glob(pat, GLIBC_GLOB_NOMAGIC, 0, &g) == 0 && g.gl_pathc == 1, "NOMAGIC returns the pattern");
	globfree(&g);
	snprintf(pat, sizeof pat, "%s/*.txt", dir);
	CHECK(glob(pat, 0, 0, &g) == 0 && g.gl_pathc == 2, "plain glob unchanged");
	globfree(&g);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	CHECK(system(path) == 0, "cleanup");
	puts("PASS glob_brace");
	return 0;
}
