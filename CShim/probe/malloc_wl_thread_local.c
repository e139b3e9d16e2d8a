#include "malloc_internal.h"

/* After glibc's bench-malloc-thread: 1024 slots per thread; free a random
 * slot, then malloc 4..32768 bytes drawn from an inverse-square
 * distribution (most blocks small, a long tail of large ones). */
#define SLOTS 1024

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index);
	void *slot[SLOTS] = { 0 };
	uint32_t size[CSHIM_MB_SIZES];
	const double lo = 1.0 / 4, hi = 1.0 / 32768;
	for (int i = 0; i < CSHIM_MB_SIZES; i++) {  /* inverse CDF of 1/x² on [4, 32768] */
		double u = (cshim_mb_rand(&rng) >> 11) * 0x1.0p-53;
		uint32_t n = (uint32_t)(1.0 / (lo - u * (lo - hi)));
		size[i] = n < 4 ? 4 : n > 32768 ? 32768 : n;
	}
	uint64_t done = cshim_mb_replace(c, &rng, slot, SLOTS, size, UINT64_MAX);
	for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[i]);
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_thread_local = { "thread-local", 0, work, 0 };
