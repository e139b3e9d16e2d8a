#include <signal.h>
#include "cshim_conformance.h"

int cshim_sigrtmax(void)
{
	return SIGRTMAX;
}
