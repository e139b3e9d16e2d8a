#define _GNU_SOURCE
#include <pthread.h>
#include "malloc_internal.h"

/* After larson: each of the `threads` lanes owns a slice of 2048 slots of
 * 16..1024-byte blocks and replaces random ones (free the old block, malloc
 * a new one). After every generation of 16384 replacements the lane's
 * worker thread exits and a fresh thread takes over the slice, so blocks
 * outlive the thread that allocated them and are freed by another. On the
 * calling thread (1 thread, not spawned) generations run in place. */
#define SLOTS 2048
#define GENERATION 16384
#define BATCH 256

struct lane { struct cshim_mb_ctx *c; int index; uint64_t rng, done; void **slot; };

static int prepare(struct cshim_mb_ctx *c)
{
	void **slots = cshim_mb_malloc(sizeof(void *) * SLOTS * (size_t)c->threads);
	if (!slots) return -4;
	for (size_t i = 0; i < (size_t)SLOTS * (size_t)c->threads; i++) slots[i] = 0;
	c->shared = slots;
	return 0;
}

static void *generation(void *arg)
{
	struct lane *l = arg;
	for (int n = 0; n < GENERATION; n += BATCH) {
		if (cshim_mb_should_stop(l->c)) break;
		for (int k = 0; k < BATCH; k++) {
			uint64_t r = cshim_mb_rand(&l->rng);
			unsigned i = r % SLOTS;
			size_t size = 16 + (r >> 32) % 1009;
			cshim_mb_free(l->slot[i]);
			if (!(l->slot[i] = cshim_mb_alloc(l->c, size))) return 0;
			cshim_mb_touch(l->slot[i], size, r);
		}
		l->done += BATCH;
	}
	return 0;
}

static void work(struct cshim_mb_ctx *c, int index)
{
	struct lane l = { c, index, cshim_mb_seed(c, index), 0, (void **)c->shared + (size_t)SLOTS * (size_t)index };
	while (!cshim_mb_should_stop(c)) {
		if (c->on_main) { generation(&l); continue; }
		pthread_t t;
		if (pthread_create(&t, 0, generation, &l)) {
			atomic_store(&c->failed, -3);
			atomic_store(&c->stop, 1);
			break;
		}
		pthread_join(t, 0);
	}
	atomic_fetch_add(&c->ops, l.done);
}

static void finish(struct cshim_mb_ctx *c)
{
	void **slots = c->shared;
	for (size_t i = 0; i < (size_t)SLOTS * (size_t)c->threads; i++) cshim_mb_free(slots[i]);
	cshim_mb_free(slots);
}

const struct cshim_mb_workload cshim_mb_cross_thread = { "cross-thread", prepare, work, finish };
