#include <malloc.h>
#include "cshim_conformance.h"

size_t cshim_malloc_usable_size(void *pointer)
{
	return malloc_usable_size(pointer);
}
