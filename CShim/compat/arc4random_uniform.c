#include "compat.h"

/* Uniform in [0, upper_bound) without modulo bias: reject the values below
 * 2^32 mod upper_bound, so the accepted range is a multiple of upper_bound. */
uint32_t arc4random_uniform(uint32_t upper_bound)
{
	if (upper_bound < 2) return 0;
	uint32_t threshold = (uint32_t)(-upper_bound) % upper_bound;
	for (;;) {
		uint32_t r = arc4random();
		if (r >= threshold) return r % upper_bound;
	}
}
