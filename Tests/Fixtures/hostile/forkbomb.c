/* forkbomb: a hostile program for the scratch hardening tests. Every
 * process it makes forks again; the first process stops at its first
 * failed fork and prints "fork failed after N forks: <strerror>", then
 * exits 0 (its namespace's other processes die with it). Bounded even
 * without a pids limit, so a broken limit cannot take the machine down:
 * after MAX forks (default 2048) it prints "no limit after N forks". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int max = argc > 1 ? atoi(argv[1]) : 2048, forks;

	for (forks = 0; forks < max; forks++) {
		pid_t child = fork();

		if (child < 0) {
			printf("fork failed after %d forks: %s\n", forks, strerror(errno));
			return 0;
		}
		if (child == 0) {
			fork();   /* each child makes one more, then waits to be killed */
			for (;;)
				pause();
		}
	}
	printf("no limit after %d forks\n", forks);
	return 0;
}
