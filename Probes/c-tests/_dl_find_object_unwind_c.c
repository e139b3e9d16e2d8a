/* The C frame the exception crosses, and a counting wrapper around
 * _dl_find_object (linked with -Wl,--wrap=_dl_find_object). */
#include "../../CShim/compat/compat.h"

int cshim_test_dl_find_object_calls;
int __real__dl_find_object(void *pc, struct dl_find_object *result);
int __wrap__dl_find_object(void *pc, struct dl_find_object *result)
{
	cshim_test_dl_find_object_calls++;
	return __real__dl_find_object(pc, result);
}

void through_c(void (*fn)(void))
{
	fn();
	__asm__ volatile("" ::: "memory"); /* keep this a real frame */
}
