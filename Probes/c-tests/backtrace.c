/* backtrace() returns the caller's frames; backtrace_symbols() formats them
 * in one free()-able block. */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "../../CShim/compat/compat.h"

__attribute__((noinline)) static int inner(void **buf, int n) { int r = backtrace(buf, n); __asm__ volatile(""); return r; }
__attribute__((noinline)) static int outer(void **buf, int n) { int r = inner(buf, n); __asm__ volatile(""); return r; }

int main(void)
{
	void *buf[32];
	int n = outer(buf, 32);
	CHECK(n >= 3, "only %d frames", n);
	/* buf[0] is a return address inside inner, buf[1] inside outer. */
	CHECK((uintptr_t)buf[0] > (uintptr_t)inner && (uintptr_t)buf[0] < (uintptr_t)inner + 256, "frame 0 %p is not in inner %p", buf[0], (void *)inner);
	CHECK((uintptr_t)buf[1] > (uintptr_t)outer && (uintptr_t)buf[1] < (uintptr_t)outer + 256, "frame 1 %p is not in outer %p", buf[1], (void *)outer);
	CHECK(backtrace(buf, 0) == 0, "size 0 must return 0");
	CHECK(outer(buf, 1) == 1, "size 1 must return 1");
	n = outer(buf, 32);
	char **names = backtrace_symbols(buf, n);
	CHECK(names != 0, "backtrace_symbols returned NULL");
	char expect[64];
	snprintf(expect, sizeof expect, "[%p]", buf[1]);
	CHECK(strcmp(names[1], expect) == 0, "names[1] = %s, expected %s", names[1], expect);
	free(names);
	printf("PASS backtrace (%d frames)\nPASS backtrace_symbols\n", n);
	return 0;
}
