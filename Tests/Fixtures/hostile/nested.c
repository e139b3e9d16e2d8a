/* nested: a hostile program for the scratch hardening tests. Makes DEPTH
 * (default 3000) nested folders /n/n/n/... in its root, deeper than
 * PATH_MAX, prints "made N nested folders" and exits 7, so a test can
 * see its own status survive whatever cleaning up the root takes. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 3000, made;

	for (made = 0; made < depth; made++)
		if (mkdir("n", 0755) < 0 || chdir("n") < 0)
			break;
	printf("made %d nested folders\n", made);
	return 7;
}
