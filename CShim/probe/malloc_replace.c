#include "malloc_internal.h"

#define BATCH 256

uint64_t cshim_mb_replace(struct cshim_mb_ctx *c, uint64_t *rng, void **slot, unsigned slots,
                          const uint32_t *size, uint64_t limit)
{
	uint64_t done = 0;
	while (done < limit && !cshim_mb_should_stop(c)) {
		for (int k = 0; k < BATCH; k++) {
			uint64_t r = cshim_mb_rand(rng);
			unsigned i = r % slots;
			size_t n = size[(r >> 32) % CSHIM_MB_SIZES];
			cshim_mb_free(slot[i]);
			if (!(slot[i] = cshim_mb_alloc(c, n))) return done;
			cshim_mb_touch(slot[i], n, r);
		}
		done += BATCH;
	}
	return done;
}
