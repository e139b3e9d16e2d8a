/* The fts wrappers seen from a glibc-compiled caller: every entry comes
 * back in glibc's FTSENT layout (names, fts_info, fts_level, fts_statp),
 * fts_set(FTS_SKIP) prunes, and a comparator sees glibc entries. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../compat/fts_glibc.h"
#include "check.h"

/* How glibc-compiled code sees the functions. */
typedef FTS *(*open_fn)(char *const *, int, glibc_fts_compar);
typedef struct glibc_ftsent *(*read_fn)(FTS *);
typedef int (*set_fn)(FTS *, struct glibc_ftsent *, int);

static int descending(const struct glibc_ftsent **a, const struct glibc_ftsent **b)
{
	return -strcmp((*a)->fts_name, (*b)->fts_name);
}

static void touch(const char *dir, const char *name, int size)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0, "create %s", path);
	for (int i = 0; i < size; i++) CHECK(write(fd, "x", 1) == 1, "write");
	close(fd);
}

int main(void)
{
	char root[] = "/tmp/cshim-fts-XXXXXX", sub[600], skip[600];
	CHECK(mkdtemp(root), "mkdtemp");
	snprintf(sub, sizeof sub, "%s/sub", root);
	snprintf(skip, sizeof skip, "%s/skipme", root);
	CHECK(mkdir(sub, 0755) == 0 && mkdir(skip, 0755) == 0, "mkdir");
	touch(root, "a.txt", 3);
	touch(sub, "b.txt", 5);
	touch(skip, "hidden.txt", 1);

	open_fn fopen_ = (open_fn)fts_open;
	read_fn fread_ = (read_fn)fts_read;
	set_fn fset_ = (set_fn)fts_set;
	char *paths[] = { root, 0 };
	FTS *fts = fopen_(paths, FTS_PHYSICAL | FTS_NOCHDIR, descending);
	CHECK(fts, "fts_open");
	char seen[1024] = "";
	struct glibc_ftsent *e;
	int files = 0, bytes = 0, dirs_post = 0;
	while ((e = fread_(fts))) {
		if (e->fts_info == FTS_D && strcmp(e->fts_name, "skipme") == 0) {
			CHECK(fset_(fts, e, FTS_SKIP) == 0, "fts_set");
			continue;
		}
		if (e->fts_info == FTS_DP) { dirs_post++; continue; }
		strcat(seen, e->fts_name);
		strcat(seen, e->fts_info == FTS_D ? "/" : "");
		strcat(seen, ",");
		if (e->fts_info == FTS_F) {
			files++;
			bytes += (int)e->fts_statp->st_size;
			CHECK(e->fts_level >= 1 && e->fts_parent && e->fts_parent->fts_info == FTS_D, "parent of %s", e->fts_name);
			CHECK(strncmp(e->fts_path, root, strlen(root)) == 0, "path %s", e->fts_path);
		}
	}
	CHECK(fts_close(fts) == 0, "fts_close");
	const char *rootname = strrchr(root, '/') + 1;
	char want[256];
	/* descending: sub, skipme (skipped), a.txt */
	snprintf(want, sizeof want, "%s/,sub/,b.txt,a.txt,", rootname);
	CHECK(strcmp(seen, want) == 0, "order/names: got %s want %s", seen, want);
	CHECK(files == 2 && bytes == 8, "files %d bytes %d", files, bytes);
	/* BSD fts (glibc and musl-fts alike) gives a skipped directory its postorder visit. */
	CHECK(dirs_post == 3, "postorder dirs %d", dirs_post);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0, "cleanup");
	puts("PASS fts_glibc (glibc-layout entries, FTS_SKIP, comparator)");
	return 0;
}
