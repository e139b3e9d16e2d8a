#define _GNU_SOURCE
#include <pthread.h>
#include "cshim_conformance.h"

int cshim_thread_getname(char *buffer, size_t length)
{
	return pthread_getname_np(pthread_self(), buffer, length);
}
