/* CShim bindings for the conformance suite. Functions take and return plain C
 * types only (fixed-width integers, char pointers, opaque buffers), never
 * libc structs: Swift imports this header with glibc's headers, while the
 * musl variant links a copy of CShim compiled by musl-gcc.
 *
 * They wrap what Swift's Glibc module does not import: it is built without
 * _GNU_SOURCE, so GNU/Linux extensions and function-like macros are absent. */
#ifndef CSHIM_CONFORMANCE_H
#define CSHIM_CONFORMANCE_H
#include <stddef.h>
#include <stdint.h>

/* getrandom(2): bytes written, or -1 with errno set. */
long cshim_getrandom(void *buffer, size_t length, unsigned flags);
/* wcwidth(3) of one code point in the current LC_CTYPE. */
int cshim_wcwidth(uint32_t codepoint);
/* SIGRTMIN / SIGRTMAX: function-like macros in both libcs. */
int cshim_sigrtmin(void);
int cshim_sigrtmax(void);
/* FNM_CASEFOLD, a GNU extension that both libcs define. */
extern const int cshim_fnm_casefold;
/* malloc_usable_size(3) (<malloc.h> is not part of the Glibc module). */
size_t cshim_malloc_usable_size(void *pointer);
/* pthread_setname_np / pthread_getname_np on the calling thread; 0 or an errno. */
int cshim_thread_setname(const char *name);
int cshim_thread_getname(char *buffer, size_t length);
#endif
