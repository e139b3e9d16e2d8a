#define _GNU_SOURCE
#include <fnmatch.h>
#include "cshim_conformance.h"

const int cshim_fnm_casefold = FNM_CASEFOLD;
