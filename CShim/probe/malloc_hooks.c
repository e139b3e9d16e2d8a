#include <stdlib.h>
#include "malloc_internal.h"

void *(*volatile cshim_mb_malloc)(size_t) = malloc;
void (*volatile cshim_mb_free)(void *) = free;
void *(*volatile cshim_mb_realloc)(void *, size_t) = realloc;
