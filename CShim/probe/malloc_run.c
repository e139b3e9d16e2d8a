#include <pthread.h>
#include <string.h>
#include "cshim_malloc.h"
#include "malloc_internal.h"

static const struct cshim_mb_workload *const all[] = {
	&cshim_mb_thread_local, &cshim_mb_small_churn, &cshim_mb_producer_consumer,
	&cshim_mb_cross_thread, &cshim_mb_medium, &cshim_mb_false_sharing,
};

/* Workers block here until every thread exists (no spinning: there may be
 * far fewer cores than threads). */
struct gate { pthread_mutex_t lock; pthread_cond_t cond; int open; };

struct start {
	struct cshim_mb_ctx *ctx;
	const struct cshim_mb_workload *w;
	int index;
	struct gate *gate;
};

static void *worker(void *arg)
{
	struct start *s = arg;
	pthread_mutex_lock(&s->gate->lock);
	while (!s->gate->open) pthread_cond_wait(&s->gate->cond, &s->gate->lock);
	pthread_mutex_unlock(&s->gate->lock);
	s->w->work(s->ctx, s->index);
	return 0;
}

int cshim_malloc_run(const char *workload, int threads, int spawn_single, double seconds,
                     uint64_t seed, uint64_t *ops, double *elapsed_s)
{
	const struct cshim_mb_workload *w = 0;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (workload && !strcmp(all[i]->name, workload)) w = all[i];
	if (!w) return -1;
	if (threads < 1 || threads > 1024 || !(seconds > 0 && seconds < 86400) || !ops || !elapsed_s)
		return -2;

	struct cshim_mb_ctx ctx = { .threads = threads, .seed = seed ? seed : 1 };
	ctx.on_main = threads == 1 && !spawn_single;
	atomic_init(&ctx.stop, 0);
	atomic_init(&ctx.failed, 0);
	atomic_init(&ctx.ops, 0);
	int rc = w->prepare ? w->prepare(&ctx) : 0;
	if (rc) return rc;

	uint64_t start;
	if (ctx.on_main) {
		/* No thread is ever created: musl's malloc stays lock-free. */
		start = cshim_mb_now_ns();
		ctx.deadline_ns = start + (uint64_t)(seconds * 1e9);
		w->work(&ctx, 0);
	} else {
		pthread_t tid[1024];
		struct start st[1024];
		struct gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
		int made = 0;
		for (; made < threads; made++) {
			st[made] = (struct start){ &ctx, w, made, &gate };
			if (pthread_create(&tid[made], 0, worker, &st[made])) break;
		}
		if (made < threads) {
			atomic_store(&ctx.failed, -3);
			atomic_store(&ctx.stop, 1);
		}
		pthread_mutex_lock(&gate.lock);
		start = cshim_mb_now_ns();
		ctx.deadline_ns = start + (uint64_t)(seconds * 1e9);
		gate.open = 1;
		pthread_cond_broadcast(&gate.cond);
		pthread_mutex_unlock(&gate.lock);
		for (int i = 0; i < made; i++) pthread_join(tid[i], 0);
	}
	uint64_t end = cshim_mb_now_ns();
	if (w->finish) w->finish(&ctx);
	if (rc) return rc;
	if (atomic_load(&ctx.failed)) return atomic_load(&ctx.failed);
	*ops = atomic_load(&ctx.ops);
	*elapsed_s = (end - start) / 1e9;
	return 0;
}
