#define _XOPEN_SOURCE 700
#include <wchar.h>
#include "cshim_conformance.h"

int cshim_wcwidth(uint32_t codepoint)
{
	return wcwidth((wchar_t)codepoint);
}
