#include "compat.h"

uint32_t arc4random(void)
{
	uint32_t value;
	arc4random_buf(&value, sizeof value);
	return value;
}
