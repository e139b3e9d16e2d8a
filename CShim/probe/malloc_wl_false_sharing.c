#include "malloc_internal.h"

/* After Hoard's cache-scratch: the calling thread allocates one small
 * object per worker (neighbours in memory); each worker frees its object,
 * then repeatedly allocates an 8-byte object, writes it many times and
 * frees it. An allocator that reuses the freed neighbour slots puts the
 * workers' objects on one cache line and the writes contend. */
#define WRITES 64
#define BATCH 64

static int prepare(struct cshim_mb_ctx *c)
{
	void **seed = cshim_mb_malloc(sizeof(void *) * (size_t)c->threads);
	if (!seed) return -4;
	for (int i = 0; i < c->threads; i++)
		if (!(seed[i] = cshim_mb_malloc(8))) {
			while (i--) cshim_mb_free(seed[i]);
			cshim_mb_free(seed);
			return -4;
		}
	c->shared = seed;
	return 0;
}

static void work(struct cshim_mb_ctx *c, int index)
{
	void **seed = c->shared;
	uint64_t done = 0, v = (uint64_t)index;
	cshim_mb_free(seed[index]);
	seed[index] = 0;
	while (!cshim_mb_should_stop(c)) {
		for (int k = 0; k < BATCH; k++) {
			volatile uint64_t *p = cshim_mb_alloc(c, 8);
			if (!p) goto out;
			for (int w = 0; w < WRITES; w++) *p = v++;
			cshim_mb_free((void *)p);
		}
		done += BATCH;
	}
out:
	atomic_fetch_add(&c->ops, done);
}

static void finish(struct cshim_mb_ctx *c)
{
	void **seed = c->shared;
	for (int i = 0; i < c->threads; i++) cshim_mb_free(seed[i]);
	cshim_mb_free(seed);
}

const struct cshim_mb_workload cshim_mb_false_sharing = { "false-sharing", prepare, work, finish };
