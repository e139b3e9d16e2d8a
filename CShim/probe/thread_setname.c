#define _GNU_SOURCE
#include <pthread.h>
#include "cshim_conformance.h"

int cshim_thread_setname(const char *name)
{
	return pthread_setname_np(pthread_self(), name);
}
