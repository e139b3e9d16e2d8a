/* Internals of the malloc workloads (CShim/src/malloc_*.c). Not installed. */
#ifndef CSHIM_MALLOC_INTERNAL_H
#define CSHIM_MALLOC_INTERNAL_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* malloc/free/realloc called through volatile pointers: the compiler can
 * neither elide nor merge the calls, whatever -fno-builtin flags a build
 * of CShim got. */
extern void *(*volatile cshim_mb_malloc)(size_t);
extern void (*volatile cshim_mb_free)(void *);
extern void *(*volatile cshim_mb_realloc)(void *, size_t);

struct cshim_mb_ctx {
	int threads;
	int on_main;              /* one worker, on the calling thread */
	uint64_t seed;
	uint64_t deadline_ns;     /* CLOCK_MONOTONIC */
	atomic_int stop;
	atomic_int failed;        /* 0, or the return code: -3 no thread, -4 no memory */
	atomic_uint_fast64_t ops;
	void *shared;             /* workload state made by prepare */
};

struct cshim_mb_workload {
	const char *name;
	int (*prepare)(struct cshim_mb_ctx *);       /* may be 0; returns 0 or -3/-4 */
	void (*work)(struct cshim_mb_ctx *, int index);
	void (*finish)(struct cshim_mb_ctx *);       /* may be 0 */
};

extern const struct cshim_mb_workload cshim_mb_thread_local, cshim_mb_small_churn,
	cshim_mb_producer_consumer, cshim_mb_cross_thread, cshim_mb_medium, cshim_mb_false_sharing;

uint64_t cshim_mb_now_ns(void);
/* The slot-replacement loop (thread-local, small-churn, cross-thread): in
 * batches of 256, free a random slot and malloc a block of a size drawn from
 * `size` into it, until the run stops or `limit` replacements are done.
 * Returns the replacements done. */
#define CSHIM_MB_SIZES 4096
uint64_t cshim_mb_replace(struct cshim_mb_ctx *, uint64_t *rng, void **slot, unsigned slots,
                          const uint32_t *size, uint64_t limit);
/* Checked once per batch: the stop flag, then the clock. */
int cshim_mb_should_stop(struct cshim_mb_ctx *);
void *cshim_mb_alloc(struct cshim_mb_ctx *, size_t);

/* xorshift64*: per-thread, seeded from the run's seed and the index. */
static inline uint64_t cshim_mb_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t cshim_mb_seed(const struct cshim_mb_ctx *c, int index)
{
	uint64_t s = c->seed ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(index + 1));
	return s ? s : 1;
}

/* Writes the first and last bytes so every block is really used. */
static inline void cshim_mb_touch(void *p, size_t n, uint64_t v)
{
	unsigned char *b = p;
	b[0] = (unsigned char)v;
	b[n - 1] = (unsigned char)(v >> 8);
	if (n >= 8) *(volatile uint64_t *)p = v;
}
#endif
