/* A planted ABI difference for ConformanceABITests: the same struct and
 * constant defined differently when compiled against glibc (__GLIBC__),
 * next to a struct that is identical under both. The audit must flag the
 * first two and pass the third. */
#ifndef CSHIM_PLANTED_H
#define CSHIM_PLANTED_H
#include <stddef.h>

#ifdef __GLIBC__
struct cshim_planted {
	int count;
	long value;
};
#define CSHIM_PLANTED_FLAG 0x10
#else
struct cshim_planted {
	long value;
	int count;
};
#define CSHIM_PLANTED_FLAG 0x20
#endif

struct cshim_same {
	char tag;
	double number;
};
#define CSHIM_PLANTED_SAME 7
#endif
