#include "cchecksum.h"

uint32_t cchecksum_adler32(const unsigned char *data, size_t length)
{
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < length; i++) {
		a = (a + data[i]) % CCHECKSUM_MOD;
		b = (b + a) % CCHECKSUM_MOD;
	}
	return (b << 16) | a;
}
