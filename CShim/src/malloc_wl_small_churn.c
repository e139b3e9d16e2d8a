#include "malloc_internal.h"

/* 64 slots of 16..512 bytes, all allocated then all freed (in random
 * order), over and over: every cycle empties whole size-class groups, which
 * makes mallocng release and map them again. */
#define SLOTS 64

static void work(struct cshim_mb_ctx *c, int index)
{
	uint64_t rng = cshim_mb_seed(c, index), done = 0;
	void *slot[SLOTS];
	unsigned char order[SLOTS];
	for (int i = 0; i < SLOTS; i++) order[i] = (unsigned char)i;
	while (!cshim_mb_should_stop(c)) {
		for (int round = 0; round < 4; round++) {
			for (int i = 0; i < SLOTS; i++) {
				uint64_t r = cshim_mb_rand(&rng);
				size_t n = 16 + r % 497;
				if (!(slot[i] = cshim_mb_alloc(c, n))) {
					while (i--) cshim_mb_free(slot[i]);
					goto out;
				}
				cshim_mb_touch(slot[i], n, r);
			}
			for (int i = SLOTS - 1; i > 0; i--) { /* shuffle the free order */
				unsigned j = cshim_mb_rand(&rng) % (unsigned)(i + 1);
				unsigned char t = order[i]; order[i] = order[j]; order[j] = t;
			}
			for (int i = 0; i < SLOTS; i++) cshim_mb_free(slot[order[i]]);
			done += SLOTS;
		}
	}
out:
	atomic_fetch_add(&c->ops, done);
}

const struct cshim_mb_workload cshim_mb_small_churn = { "small-churn", 0, work, 0 };
