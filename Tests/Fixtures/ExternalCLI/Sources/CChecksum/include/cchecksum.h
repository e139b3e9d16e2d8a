#ifndef CCHECKSUM_H
#define CCHECKSUM_H
#include <stddef.h>
#include <stdint.h>
/* Adler-32 of a buffer (RFC 1950). */
uint32_t cchecksum_adler32(const unsigned char *data, size_t length);
/* The libc this C target was compiled against. */
const char *cchecksum_libc(void);
#endif
