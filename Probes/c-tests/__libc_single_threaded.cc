// __libc_single_threaded is 0, so libstdc++ uses atomic reference counts:
// shared_ptr copies from four threads (started by musl's pthread_create,
// which libstdc++ cannot see) must leave the count exact.
#include <memory>
extern "C" {
int printf(const char *, ...);
extern char __libc_single_threaded;
int cshim_test_run_threads(void *(*fn)(void *), void *arg, int n);
}

static void *churn(void *arg)
{
	auto *p = static_cast<std::shared_ptr<int> *>(arg);
	for (int i = 0; i < 200000; i++) { std::shared_ptr<int> copy = *p; (void)copy; }
	return nullptr;
}

int main()
{
	if (__libc_single_threaded != 0) { printf("FAIL __libc_single_threaded: is %d, must be 0\n", __libc_single_threaded); return 1; }
	auto shared = std::make_shared<int>(7);
	if (cshim_test_run_threads(churn, &shared, 4) != 0) { printf("FAIL __libc_single_threaded: pthread_create\n"); return 1; }
	if (shared.use_count() != 1) { printf("FAIL __libc_single_threaded: use_count %ld after threads\n", shared.use_count()); return 1; }
	printf("PASS __libc_single_threaded (use_count exact after 4 threads x 200000 copies)\n");
	return 0;
}
