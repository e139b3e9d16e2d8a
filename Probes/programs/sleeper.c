/* sleeper: for the scratch verdict tests. "abort" dies by SIGABRT;
 * a number sleeps that many seconds (default 60) and exits 3. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "abort"))
		abort();
	sleep(argc > 1 ? (unsigned)atoi(argv[1]) : 60);
	return 3;
}
