#include <unwind.h>
#include "compat.h"

/* glibc <execinfo.h> backtrace, on libgcc's unwinder (libgcc_eh.a), which
 * every musl link of the Swift runtime already carries. */
struct state {
	void **buffer;
	int size;
	int count;
	int skip;
};

static _Unwind_Reason_Code step(struct _Unwind_Context *context, void *data)
{
	struct state *s = data;
	if (s->skip > 0) { s->skip--; return _URC_NO_REASON; }
	if (s->count >= s->size) return _URC_END_OF_STACK;
	_Unwind_Ptr ip = _Unwind_GetIP(context);
	if (ip == 0) return _URC_END_OF_STACK;
	s->buffer[s->count++] = (void *)ip;
	return _URC_NO_REASON;
}

int backtrace(void **buffer, int size)
{
	if (size <= 0) return 0;
	/* Skip backtrace's own frame: glibc starts at the caller. */
	struct state s = { buffer, size, 0, 1 };
	_Unwind_Backtrace(step, &s);
	return s.count;
}
