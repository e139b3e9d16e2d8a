// An exception thrown in C++ and caught across a C frame: the unwinder
// (libgcc_eh) must find FDEs for both, through _dl_find_object.
#include <stdexcept>
extern "C" {
int printf(const char *, ...);
void through_c(void (*fn)(void));
extern int cshim_test_dl_find_object_calls;
}

static void thrower() { throw std::runtime_error("through the unwinder"); }

int main()
{
	int caught = 0;
	try { through_c(thrower); } catch (const std::runtime_error &e) { caught = e.what()[0] == 't'; }
	if (!caught) { printf("FAIL _dl_find_object_unwind: exception not caught\n"); return 1; }
	if (cshim_test_dl_find_object_calls == 0) {
		printf("FAIL _dl_find_object_unwind: the unwinder never called _dl_find_object\n"); return 1;
	}
	printf("PASS _dl_find_object_unwind (unwinder called _dl_find_object %d times)\n", cshim_test_dl_find_object_calls);
	return 0;
}
