#include "malloc_internal.h"

/* After glibc's bench-malloc-thread: 1024 slots per thread; free a random
 * slot, then malloc 4..32768 bytes drawn from an inverse-square
 * distribution (most blocks small, a long tail of large ones). */
#define SLOTS 1024
#define TABLE 4096
#define BATCH 256

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index), done = 0;
	void *slot[SLOTS];
	uint32_t size[TABLE];
	const double lo = 1.0 / 4, hi = 1.0 / 32768;
	for (int i = 0; i < TABLE; i++) {
		double u = (cshim_mb_rand(&rng) >> 11) * 0x1.0p-53;
		uint32_t n = (uint32_t)(1.0 / (lo - u * (lo - hi)));
		size[i] = n < 4 ? 4 : n > 32768 ? 32768 : n;
	}
	for (int i = 0; i < SLOTS; i++) slot[i] = 0;
	while (!cshim_mb_should_stop(c)) {
		for (int k = 0; k < BATCH; k++) {
			uint64_t r = cshim_mb_rand(&rng);
			unsigned i = r % SLOTS;
			size_t n = size[(r >> 32) % TABLE];
			cshim_mb_free(slot[i]);
			if (!(slot[i] = cshim_mb_alloc(c, n))) goto out;
			cshim_mb_touch(slot[i], n, r);
		}
		done += BATCH;
	}
out:
	for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[i]), slot[i] = 0;
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_thread_local = { "thread-local", 0, work, 0 };
