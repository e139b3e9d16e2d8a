/* arc4random, arc4random_buf and arc4random_uniform: uniform, complete,
 * unbiased, and unbroken by signals (EINTR). */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include "check.h"
#include "../../CShim/compat/compat.h"

static volatile int ticks;
static void tick(int sig) { (void)sig; ticks++; }

int main(void)
{
	/* arc4random: all 32 bits vary. */
	uint32_t ored = 0, anded = ~0u;
	for (int i = 0; i < 1000; i++) { uint32_t v = arc4random(); ored |= v; anded &= v; }
	CHECK(ored == ~0u && anded == 0, "stuck bits: or=%08x and=%08x", ored, anded);

	/* arc4random_uniform: chi-square over 10 buckets (df 9; 27.9 is p=0.001). */
	enum { N = 200000, K = 10 };
	long counts[K] = {0};
	for (int i = 0; i < N; i++) { uint32_t v = arc4random_uniform(K); CHECK(v < K, "%u out of range", v); counts[v]++; }
	double chi = 0;
	for (int k = 0; k < K; k++) chi += pow(counts[k] - N / K, 2) / (N / K);
	CHECK(chi < 27.9, "chi-square %.1f: not uniform", chi);
	CHECK(arc4random_uniform(0) == 0 && arc4random_uniform(1) == 0, "bounds 0 and 1 must give 0");
	/* Bound 3*2^30 is where modulo bias is easy to see: with r % bound the
	 * values below 2^30 would get probability 1/2 instead of 1/3. */
	uint32_t big = 0xC0000000u; long low = 0;
	for (int i = 0; i < 30000; i++) { uint32_t v = arc4random_uniform(big); CHECK(v < big, "%u >= bound", v); low += v < 0x40000000u; }
	CHECK(low > 9400 && low < 10600, "biased: %ld of 30000 below 2^30 (unbiased ~10000, modulo-biased ~15000)", low);

	/* arc4random_buf: fills every byte, even while signals interrupt it. */
	struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = tick;
	sigaction(SIGALRM, &sa, 0);
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	setitimer(ITIMER_REAL, &it, 0);
	size_t size = 8 << 20;
	unsigned char *buf = calloc(1, size);
	for (int round = 0; round < 4; round++) {
		memset(buf, 0, size);
		arc4random_buf(buf, size);
		size_t zero_run = 0, longest = 0;
		for (size_t i = 0; i < size; i++) { zero_run = buf[i] ? 0 : zero_run + 1; if (zero_run > longest) longest = zero_run; }
		CHECK(longest < 8, "a run of %zu zero bytes: buffer not filled", longest);
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, 0);
	free(buf);
	printf("PASS arc4random\nPASS arc4random_uniform (chi2=%.1f)\nPASS arc4random_buf (%d signals during fills)\n", chi, ticks);
	return 0;
}
