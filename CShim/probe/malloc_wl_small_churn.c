#include "malloc_internal.h"

/* 64 slots per thread of 16..512 bytes (uniform): free a random slot, then
 * malloc a new block into it. So few live blocks spread over ~30 size
 * classes keep emptying and refilling mallocng's groups, which it then
 * releases and maps again. */
#define SLOTS 64

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index);
	void *slot[SLOTS] = { 0 };
	uint32_t size[CSHIM_MB_SIZES];
	for (int i = 0; i < CSHIM_MB_SIZES; i++) size[i] = 16 + cshim_mb_rand(&rng) % 497;
	uint64_t done = cshim_mb_replace(c, &rng, slot, SLOTS, size, UINT64_MAX);
	for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[i]);
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_small_churn = { "small-churn", 0, work, 0 };
