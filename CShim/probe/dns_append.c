#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cshim_dns.h"

void cshim_dns_append(char *out, size_t cap, const char *fmt, ...)
{
	size_t used = strnlen(out, cap);
	va_list ap;
	if (used + 1 >= cap) return;
	va_start(ap, fmt);
	vsnprintf(out + used, cap - used, fmt, ap);
	va_end(ap);
}
