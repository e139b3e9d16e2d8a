/* CShim bindings for the malloc suite. Functions take and return plain C
 * types only (fixed-width integers, char pointers, opaque buffers), never
 * libc structs: Swift imports this header with glibc's headers, while the
 * musl variant links a copy of CShim compiled by musl-gcc. */
#ifndef CSHIM_MALLOC_H
#define CSHIM_MALLOC_H
#include <stddef.h>
#include <stdint.h>

/* Runs one malloc workload for about `seconds` on `threads` threads.
 * workload: "thread-local", "small-churn", "producer-consumer",
 *   "cross-thread", "medium" or "false-sharing".
 * spawn_single: with threads == 1, run the worker in a spawned thread
 *   (0: on the calling thread, so musl never leaves single-threaded mode).
 * On success returns 0 and stores the number of allocations done (each is
 * later freed) in *ops and the wall time in *elapsed_s.
 * Returns -1 for an unknown workload, -2 for bad arguments, -3 when a
 * thread could not be created, -4 when malloc returned NULL. */
int cshim_malloc_run(const char *workload, int threads, int spawn_single, double seconds,
                     uint64_t seed, uint64_t *ops, double *elapsed_s);

/* The workload names, comma-separated, in the order above. */
const char *cshim_malloc_workloads(void);

/* getrusage(RUSAGE_SELF) CPU seconds, and the peak RSS in KiB of this
 * process image (VmHWM from /proc/self/status). Returns 0, or -1. */
int cshim_malloc_rusage(double *user_s, double *sys_s, int64_t *peak_rss_kb);

/* The allocator linked into this binary: "mimalloc <version>" when
 * mimalloc's mi_version is linked, else "mallocng" on musl, or "ptmalloc"
 * on glibc. */
const char *cshim_malloc_allocator(void);

/* Writes "<program>: <message>" and a newline to stderr, then exits with
 * status 2 (the probes' bad-input exit). */
void cshim_malloc_fail(const char *program, const char *message) __attribute__((noreturn));
#endif
