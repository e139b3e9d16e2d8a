#include <time.h>
#include "malloc_internal.h"

uint64_t cshim_mb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int cshim_mb_should_stop(struct cshim_mb_ctx *c)
{
	if (atomic_load_explicit(&c->stop, memory_order_relaxed)) return 1;
	if (cshim_mb_now_ns() < c->deadline_ns) return 0;
	atomic_store_explicit(&c->stop, 1, memory_order_relaxed);
	return 1;
}

void *cshim_mb_alloc(struct cshim_mb_ctx *c, size_t n)
{
	void *p = cshim_mb_malloc(n);
	if (!p) {
		atomic_store(&c->failed, -4);
		atomic_store(&c->stop, 1);
	}
	return p;
}
