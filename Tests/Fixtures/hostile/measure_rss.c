/* measure_rss: for the scratch hardening tests. Runs PROGRAM with its
 * stdout sent to STDOUT_FILE (stderr inherited) and, while it runs, reads
 * its VmHWM (peak resident set) from /proc every 2 ms. Writes to REPORT:
 *   peak_kb <the last VmHWM read: that process's own peak>
 *   samples <how many reads succeeded>
 *   status <raw wait status>
 * wait4's ru_maxrss is not used: it also counts the program's children
 * (the CLI runs `swift --version`), which says nothing about the CLI.
 * Usage: measure_rss REPORT STDOUT_FILE PROGRAM [ARG...] */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long read_peak_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			sscanf(line + 6, "%ld", &kb);
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	int status = 0, fd;
	long peak = 0, samples = 0, kb;
	pid_t child;
	FILE *report;

	if (argc < 4)
		return 2;
	child = fork();
	if (child < 0)
		return 3;
	if (child == 0) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		close(fd);
		execv(argv[3], argv + 3);
		_exit(127);
	}
	for (;;) {
		pid_t done = waitpid(child, &status, WNOHANG);

		if (done == child)
			break;
		if (done < 0)
			return 4;
		kb = read_peak_kb(child);
		if (kb > 0) {
			peak = kb > peak ? kb : peak;
			samples++;
		}
		usleep(2000);
	}
	report = fopen(argv[1], "w");
	if (!report)
		return 5;
	fprintf(report, "peak_kb %ld\nsamples %ld\nstatus %d\n", peak, samples, status);
	fclose(report);
	return 0;
}
