/* glibc-layout FTSENT for the fts wrappers (internal to compat/).
 *
 * Foundation (FileManager's enumerator, copyItem, removeItem) is compiled
 * against glibc's <fts.h> but, in a musl link, calls the fts in Debian's
 * musl libc.a, whose FTSENT has int-sized length/level fields: fts_info,
 * fts_statp and fts_name sit 2-8 bytes later. The wrappers (linked with
 * -Wl,--wrap=fts_open etc.) give glibc-compiled callers a glibc-layout
 * "shadow" of every musl entry they see. */
#ifndef CSHIM_FTS_GLIBC_H
#define CSHIM_FTS_GLIBC_H
#include <fts.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* glibc 2.36, x86_64/aarch64 (LP64) <fts.h> */
struct glibc_ftsent {
	struct glibc_ftsent *fts_cycle;
	struct glibc_ftsent *fts_parent;
	struct glibc_ftsent *fts_link;
	long fts_number;
	void *fts_pointer;
	char *fts_accpath;
	char *fts_path;
	int fts_errno;
	int fts_symfd;
	unsigned short fts_pathlen;
	unsigned short fts_namelen;
	ino_t fts_ino;
	dev_t fts_dev;
	nlink_t fts_nlink;
	short fts_level;
	unsigned short fts_info;
	unsigned short fts_flags;
	unsigned short fts_instr;
	struct stat *fts_statp;
	char fts_name[1];
};
_Static_assert(offsetof(struct glibc_ftsent, fts_info) == 98, "glibc FTSENT.fts_info is at 98 on LP64");
_Static_assert(offsetof(struct glibc_ftsent, fts_statp) == 104, "glibc FTSENT.fts_statp is at 104 on LP64");
_Static_assert(offsetof(struct glibc_ftsent, fts_name) == 112, "glibc FTSENT.fts_name is at 112 on LP64");

typedef int (*glibc_fts_compar)(const struct glibc_ftsent **, const struct glibc_ftsent **);

FTS *__real_fts_open(char *const *paths, int options, int (*compar)(const FTSENT **, const FTSENT **));
FTSENT *__real_fts_read(FTS *stream);
FTSENT *__real_fts_children(FTS *stream, int options);
int __real_fts_set(FTS *stream, FTSENT *entry, int instr);
int __real_fts_close(FTS *stream);

/* fts_shadow.c */
int __cshim_fts_register(FTS *stream, glibc_fts_compar compar);
void __cshim_fts_unregister(FTS *stream);
/* Makes `stream`'s comparator the one the trampoline calls on this thread. */
void __cshim_fts_select(FTS *stream);
/* The comparator passed to musl: translates and calls the selected one. */
int __cshim_fts_trampoline(const FTSENT **a, const FTSENT **b);
void __cshim_fts_set_compar(glibc_fts_compar compar);
/* The glibc-layout shadow of a musl entry, refreshed; NULL for NULL. */
struct glibc_ftsent *__cshim_fts_shadow(FTS *stream, FTSENT *entry);
/* The musl entry behind a shadow handed out earlier. */
FTSENT *__cshim_fts_musl(struct glibc_ftsent *shadow);
#endif
