#include <stdio.h>
#include <stdlib.h>
#include "cshim_malloc.h"

void cshim_malloc_fail(const char *program, const char *message)
{
	fprintf(stderr, "%s: %s\n", program, message);
	exit(2);
}
