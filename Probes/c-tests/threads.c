/* Starts n musl threads running fn(arg) and joins them. */
#include <pthread.h>

int cshim_test_run_threads(void *(*fn)(void *), void *arg, int n)
{
	pthread_t t[16];
	if (n > 16) n = 16;
	for (int i = 0; i < n; i++) if (pthread_create(&t[i], 0, fn, arg)) return -1;
	for (int i = 0; i < n; i++) pthread_join(t[i], 0);
	return 0;
}
