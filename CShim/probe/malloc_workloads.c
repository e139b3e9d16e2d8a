#include "cshim_malloc.h"

const char *cshim_malloc_workloads(void)
{
	return "thread-local,small-churn,producer-consumer,cross-thread,medium,false-sharing";
}
