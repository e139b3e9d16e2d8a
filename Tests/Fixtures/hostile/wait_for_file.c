/* wait_for_file: for the scratch hardening tests. Waits (polling every
 * 10 ms, at most 60 s) until PATH exists in its root, then exits with
 * STATUS. Further arguments are ignored: a test passes a unique marker
 * there to find the process in /proc. The test creates PATH from the
 * host through /proc/<pid>/root, or never, to interrupt the run. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i;

	if (argc < 3)
		return 2;
	for (i = 0; i < 6000; i++) {
		if (access(argv[1], F_OK) == 0)
			return atoi(argv[2]);
		usleep(10000);
	}
	return 99;
}
