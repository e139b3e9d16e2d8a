#include <stdio.h>
#include <unistd.h>
#include "compat.h"

void backtrace_symbols_fd(void *const *buffer, int size, int fd)
{
	for (int i = 0; i < size; i++) dprintf(fd, "[%p]\n", buffer[i]);
}
