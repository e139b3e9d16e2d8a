#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fts_glibc.h"

/* Shadows live until fts_close (musl frees its entries as it goes, with no
 * hook for us); a per-stream hash maps musl entries to their shadows. */
struct shadow {
	FTSENT *musl;
	struct shadow *next;           /* every shadow of the stream, for close */
	size_t namecap;
	struct glibc_ftsent g;         /* last: fts_name grows past the end */
};

struct context {
	FTS *stream;
	glibc_fts_compar compar;
	struct shadow *all;
	struct shadow **table;
	size_t size, used;
	struct context *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct context *contexts;
static __thread glibc_fts_compar current_compar;

static struct context *find(FTS *stream)
{
	struct context *c;
	pthread_mutex_lock(&lock);
	for (c = contexts; c && c->stream != stream; c = c->next);
	pthread_mutex_unlock(&lock);
	return c;
}

int __cshim_fts_register(FTS *stream, glibc_fts_compar compar)
{
	struct context *c = calloc(1, sizeof *c);
	if (!c) return -1;
	c->stream = stream;
	c->compar = compar;
	pthread_mutex_lock(&lock);
	c->next = contexts;
	contexts = c;
	pthread_mutex_unlock(&lock);
	return 0;
}

void __cshim_fts_unregister(FTS *stream)
{
	struct context **p, *c = 0;
	pthread_mutex_lock(&lock);
	for (p = &contexts; *p; p = &(*p)->next)
		if ((*p)->stream == stream) { c = *p; *p = c->next; break; }
	pthread_mutex_unlock(&lock);
	if (!c) return;
	while (c->all) { struct shadow *s = c->all; c->all = s->next; free(s); }
	free(c->table);
	free(c);
}

void __cshim_fts_select(FTS *stream)
{
	struct context *c = find(stream);
	current_compar = c ? c->compar : 0;
}

void __cshim_fts_set_compar(glibc_fts_compar compar)
{
	current_compar = compar;
}

static size_t slot(struct context *c, FTSENT *e)
{
	size_t i = ((uintptr_t)e >> 4) * 0x9e3779b97f4a7c15u & (c->size - 1);
	while (c->table[i] && c->table[i]->musl != e) i = (i + 1) & (c->size - 1);
	return i;
}

static int grow(struct context *c)
{
	size_t old = c->size, n = old ? old * 2 : 256;
	struct shadow **t = c->table, **nt = calloc(n, sizeof *nt);
	if (!nt) return -1;
	c->table = nt;
	c->size = n;
	for (size_t i = 0; i < old; i++) if (t[i]) c->table[slot(c, t[i]->musl)] = t[i];
	free(t);
	return 0;
}

static void fill(struct glibc_ftsent *g, const FTSENT *e)
{
	g->fts_accpath = e->fts_accpath;
	g->fts_path = e->fts_path;
	g->fts_errno = e->fts_errno;
	g->fts_symfd = e->fts_symfd;
	g->fts_pathlen = (unsigned short)e->fts_pathlen;
	g->fts_namelen = (unsigned short)e->fts_namelen;
	g->fts_ino = e->fts_ino;
	g->fts_dev = e->fts_dev;
	g->fts_nlink = e->fts_nlink;
	g->fts_level = (short)e->fts_level;
	g->fts_info = e->fts_info;
	g->fts_flags = e->fts_flags;
	g->fts_instr = e->fts_instr;
	g->fts_statp = (struct stat *)e->fts_statp;
	memcpy(g->fts_name, e->fts_name, (size_t)e->fts_namelen);
	g->fts_name[e->fts_namelen] = 0;
}

static struct glibc_ftsent *shadow(struct context *c, FTSENT *e, int depth)
{
	if (!e || depth > 4096) return 0;
	if ((c->used + 1) * 2 > c->size && grow(c) < 0) return 0;
	size_t i = slot(c, e);
	struct shadow *s = c->table[i];
	if (!s || s->namecap < (size_t)e->fts_namelen) {
		size_t cap = (size_t)e->fts_namelen + 1;
		struct shadow *n = calloc(1, sizeof *n + cap);
		if (!n) return 0;
		n->musl = e;
		n->namecap = cap;
		n->next = c->all;
		c->all = n;
		if (!s) c->used++;
		c->table[i] = s = n;
	}
	fill(&s->g, e);
	/* Follow only the pointers fts sets: fts_alloc leaves the others
	 * uninitialised. The root parent (level -1) has no parent; fts_cycle
	 * is set only for FTS_DC; fts_link only in fts_children's list, which
	 * links the shadows itself. */
	int has_parent = e->fts_level > FTS_ROOTPARENTLEVEL && e->fts_parent && e->fts_parent != e;
	s->g.fts_parent = has_parent ? shadow(c, e->fts_parent, depth + 1) : 0;
	s->g.fts_cycle = e->fts_info == FTS_DC && e->fts_cycle != e ? shadow(c, e->fts_cycle, depth + 1) : 0;
	s->g.fts_link = 0;
	return &s->g;
}

struct glibc_ftsent *__cshim_fts_shadow(FTS *stream, FTSENT *entry)
{
	struct context *c = find(stream);
	return c ? shadow(c, entry, 0) : 0;
}

FTSENT *__cshim_fts_musl(struct glibc_ftsent *g)
{
	return g ? ((struct shadow *)((char *)g - offsetof(struct shadow, g)))->musl : 0;
}

/* Sorting happens inside fts_open/fts_read/fts_children: translate the two
 * entries into temporary glibc entries for the caller's comparator. */
int __cshim_fts_trampoline(const FTSENT **a, const FTSENT **b)
{
	if (!current_compar) return 0;
	struct glibc_ftsent *ga = calloc(1, sizeof *ga + (*a)->fts_namelen + 1);
	struct glibc_ftsent *gb = calloc(1, sizeof *gb + (*b)->fts_namelen + 1);
	int r = 0;
	if (ga && gb) {
		fill(ga, *a);
		fill(gb, *b);
		const struct glibc_ftsent *pa = ga, *pb = gb;
		r = current_compar(&pa, &pb);
	}
	free(ga);
	free(gb);
	return r;
}
