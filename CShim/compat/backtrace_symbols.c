#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"

/* glibc returns one malloc'd block: the pointer array followed by the
 * strings, freed by one free(). A static musl binary has no dladdr data,
 * so each line is glibc's no-symbol form, "[0xADDR]". */
char **backtrace_symbols(void *const *buffer, int size)
{
	if (size < 0) size = 0;
	enum { LINE = sizeof("[0x]") + 2 * sizeof(void *) };
	char **out = malloc((size_t)size * (sizeof(char *) + LINE) + 1);
	if (!out) return 0;
	char *text = (char *)(out + size);
	for (int i = 0; i < size; i++) {
		out[i] = text;
		text += snprintf(text, LINE, "[%p]", buffer[i]) + 1;
	}
	return out;
}
