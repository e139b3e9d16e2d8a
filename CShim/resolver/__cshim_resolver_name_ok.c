#include <ctype.h>
#include <string.h>
#include "resolver.h"

int __cshim_resolver_name_ok(const char *name)
{
	size_t length = strlen(name);
	int label_start = 1;
	if (!length || length > 254 || (length == 254 && name[253] != '.')) return 0;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (label_start && p[1]) return 0;    /* an empty label */
			label_start = 1;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_') return 0;
		if (label_start && c == '-') return 0;
		label_start = 0;
	}
	return 1;
}
