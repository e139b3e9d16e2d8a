/* CShim bindings for the conformance suite. Functions take and return plain C
 * types only (fixed-width integers, char pointers, opaque buffers), never
 * libc structs: Swift imports this header with glibc's headers, while the
 * musl variant links a copy of CShim compiled by musl-gcc. */
#ifndef CSHIM_CONFORMANCE_H
#define CSHIM_CONFORMANCE_H
#include <stddef.h>
#include <stdint.h>

#endif
