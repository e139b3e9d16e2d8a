#include <signal.h>
#include "cshim_conformance.h"

int cshim_sigrtmin(void)
{
	return SIGRTMIN;
}
