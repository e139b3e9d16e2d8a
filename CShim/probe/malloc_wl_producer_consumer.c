#include <pthread.h>
#include <sched.h>
#include "malloc_internal.h"

/* After xmalloc-test: the first half of the threads allocate 64-byte
 * objects and hand them, 64 at a time, to the other half, which free them:
 * every block is freed by a thread that did not allocate it. Each consumer
 * has its own queue; producer i feeds queue i % consumers. With one thread
 * the single worker alternates the two roles. */
#define OBJ 64
#define BATCH 64
#define MAX_QUEUED 256  /* batches per queue before a producer yields */

struct obj { struct obj *next; struct obj *next_batch; };

struct queue {
	pthread_mutex_t lock;
	struct obj *head, *tail;
	int depth;
	char pad[64];
};

struct shared {
	int producers, consumers;
	atomic_int producers_left;
	struct queue q[];
};

static int prepare(struct cshim_mb_ctx *c)
{
	int producers = c->threads / 2, consumers = c->threads - producers;
	if (c->threads == 1) producers = consumers = 1;
	struct shared *s = cshim_mb_malloc(sizeof *s + sizeof(struct queue) * (size_t)consumers);
	if (!s) return -4;
	s->producers = producers;
	s->consumers = consumers;
	atomic_init(&s->producers_left, c->threads == 1 ? 0 : producers);
	for (int i = 0; i < consumers; i++) {
		pthread_mutex_init(&s->q[i].lock, 0);
		s->q[i].head = s->q[i].tail = 0;
		s->q[i].depth = 0;
	}
	c->shared = s;
	return 0;
}

static struct obj *make_batch(struct cshim_mb_ctx *c, uint64_t *rng)
{
	struct obj *head = 0;
	for (int k = 0; k < BATCH; k++) {
		struct obj *o = cshim_mb_alloc(c, OBJ);
		if (!o) {
			while (head) { struct obj *n = head->next; cshim_mb_free(head); head = n; }
			return 0;
		}
		cshim_mb_touch(o, OBJ, cshim_mb_rand(rng));
		o->next = head;
		o->next_batch = 0;
		head = o;
	}
	return head;
}

static void free_batch(struct obj *o)
{
	while (o) { struct obj *n = o->next; cshim_mb_free(o); o = n; }
}

static void push(struct queue *q, struct obj *b)
{
	pthread_mutex_lock(&q->lock);
	if (q->tail) q->tail->next_batch = b; else q->head = b;
	q->tail = b;
	q->depth++;
	pthread_mutex_unlock(&q->lock);
}

static struct obj *pop(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	struct obj *b = q->head;
	if (b) {
		q->head = b->next_batch;
		if (!q->head) q->tail = 0;
		q->depth--;
	}
	pthread_mutex_unlock(&q->lock);
	return b;
}

static void work(struct cshim_mb_ctx *c, int index)
{
	struct shared *s = c->shared;
	uint64_t rng = cshim_mb_seed(c, index), done = 0;
	if (c->threads == 1) {
		while (!cshim_mb_should_stop(c)) {
			struct obj *b = make_batch(c, &rng);
			if (!b) break;
			free_batch(b);
			done += BATCH;
		}
	} else if (index < s->producers) {
		struct queue *q = &s->q[index % s->consumers];
		while (!cshim_mb_should_stop(c)) {
			if (__atomic_load_n(&q->depth, __ATOMIC_RELAXED) >= MAX_QUEUED) { sched_yield(); continue; }
			struct obj *b = make_batch(c, &rng);
			if (!b) break;
			push(q, b);
			done += BATCH;
		}
		atomic_fetch_sub(&s->producers_left, 1);
	} else {
		struct queue *q = &s->q[index - s->producers];
		for (;;) {
			struct obj *b = pop(q);
			if (b) { free_batch(b); continue; }
			if (!atomic_load(&s->producers_left)) {
				if ((b = pop(q))) { free_batch(b); continue; }
				break;
			}
			sched_yield();
		}
	}
	atomic_fetch_add(&c->ops, done);
}

static void finish(struct cshim_mb_ctx *c)
{
	struct shared *s = c->shared;
	for (int i = 0; i < s->consumers; i++) {
		struct obj *b;
		while ((b = pop(&s->q[i]))) free_batch(b);
		pthread_mutex_destroy(&s->q[i].lock);
	}
	cshim_mb_free(s);
}

const struct cshim_mb_workload cshim_mb_producer_consumer = { "producer-consumer", prepare, work, finish };
