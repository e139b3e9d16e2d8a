#include "malloc_internal.h"

/* 64 slots per thread of 16..512 bytes (uniform): free a random slot, then
 * malloc a new block into it. So few live blocks spread over ~30 size
 * classes keep emptying and refilling mallocng's groups, which it then
 * releases and maps again. */
#define SLOTS 64
#define BATCH 256

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index), done = 0;
	void *slot[SLOTS] = { 0 };
	while (!cshim_mb_should_stop(c)) {
		for (int k = 0; k < BATCH; k++) {
			uint64_t r = cshim_mb_rand(&rng);
			unsigned i = r % SLOTS;
			size_t n = 16 + (r >> 32) % 497;
			cshim_mb_free(slot[i]);
			if (!(slot[i] = cshim_mb_alloc(c, n))) goto out;
			cshim_mb_touch(slot[i], n, r);
		}
		done += BATCH;
	}
out:
	for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[i]);
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_small_churn = { "small-churn", 0, work, 0 };
