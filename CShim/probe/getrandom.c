#include <sys/random.h>
#include "cshim_conformance.h"

long cshim_getrandom(void *buffer, size_t length, unsigned flags)
{
	return (long)getrandom(buffer, length, flags);
}
