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

struct lane {
	struct cshim_mb_ctx *c;
	uint64_t rng, done;
	void **slot;
	uint32_t size[CSHIM_MB_SIZES];
};

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
	l->done += cshim_mb_replace(l->c, &l->rng, l->slot, SLOTS, l->size, GENERATION);
	return 0;
}

static void work(struct cshim_mb_ctx *c, int index)
{
	struct lane l = { c, cshim_mb_seed(c, index), 0, (void **)c->shared + (size_t)SLOTS * (size_t)index, { 0 } };
	for (int i = 0; i < CSHIM_MB_SIZES; i++) l.size[i] = 16 + cshim_mb_rand(&l.rng) % 1009;
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
