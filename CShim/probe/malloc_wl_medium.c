#include "malloc_internal.h"

/* 64 slots of 4..128 KiB blocks: a random slot is either grown/shrunk with
 * realloc or freed and allocated again; one byte per page is written, so
 * memory that the allocator gave back to the kernel (mallocng in musl 1.2.3
 * calls madvise(MADV_FREE/DONTNEED) on free here) faults in again. */
#define SLOTS 64
#define BATCH 64

static void fill(void *p, size_t n, uint64_t v)
{
	unsigned char *b = p;
	for (size_t i = 0; i < n; i += 4096) b[i] = (unsigned char)v;
	cshim_mb_touch(p, n, v);
}

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index), done = 0;
	void *slot[SLOTS] = { 0 };
	while (!cshim_mb_should_stop(c)) {
		for (int k = 0; k < BATCH; k++) {
			uint64_t r = cshim_mb_rand(&rng);
			unsigned i = r % SLOTS;
			size_t n = 4096 + (r >> 20) % (128 * 1024 - 4096 + 1);
			void *p;
			if (slot[i] && (r >> 16) & 1) {
				p = cshim_mb_realloc(slot[i], n);
				if (!p) { atomic_store(&c->failed, -4); atomic_store(&c->stop, 1); goto out; }
			} else {
				cshim_mb_free(slot[i]);
				slot[i] = 0;
				if (!(p = cshim_mb_alloc(c, n))) goto out;
			}
			slot[i] = p;
			fill(p, n, r);
		}
		done += BATCH;
	}
out:
	for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[i]);
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_medium = { "medium", 0, work, 0 };
