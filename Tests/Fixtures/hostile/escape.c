/* escape: a hostile program for the scratch hardening tests. It tries the
 * known ways out of a chroot-style root and reports each on one line:
 * "<attempt>: blocked (<why>)" or "<attempt>: ESCAPED (<what it did>)".
 *
 * Usage: escape MARKER CREATE [MAJOR:MINOR]
 *   MARKER  a host file whose content must stay unreadable;
 *   CREATE  a host path that must not come into existence;
 *   MAJOR:MINOR  the host root's block device, for the mknod attempt.
 * Always exits 0. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#define OPEN_TREE_CLONE 1

static const char *marker, *create;

/* Reads MARKER and creates CREATE under `prefix` (a path, or "" for
 * the current root); true when either worked. */
static int try_host(const char *attempt, const char *prefix)
{
	char path[PATH_MAX], content[256];
	int fd, escaped = 0;
	ssize_t n;

	snprintf(path, sizeof path, "%s%s", prefix, marker);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, content, sizeof content - 1);
		content[n > 0 ? n : 0] = 0;
		printf("%s: ESCAPED (read the marker: %s)\n", attempt, content);
		close(fd);
		escaped = 1;
	}
	snprintf(path, sizeof path, "%s%s", prefix, create);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0) {
		printf("%s: ESCAPED (created %s)\n", attempt, path);
		close(fd);
		escaped = 1;
	}
	if (!escaped)
		printf("%s: blocked (%s)\n", attempt, strerror(errno));
	return escaped;
}

/* The classic: chroot into a subfolder, keep the cwd outside it, walk
 * up with "..", chroot(".") at the top. */
static void chroot_walk(void)
{
	int i;

	mkdir("/escape-sub", 0755);
	if (chroot("/escape-sub") < 0) {
		printf("chroot-walk: blocked (chroot: %s)\n", strerror(errno));
		return;
	}
	for (i = 0; i < 256; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0) {
		printf("chroot-walk: blocked (chroot .: %s)\n", strerror(errno));
		return;
	}
	try_host("chroot-walk", "");
}

static void open_tree_clone(void)
{
	long fd = syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE);

	if (fd >= 0)
		printf("open-tree: ESCAPED (cloned a mount tree, fd %ld)\n", fd);
	else
		printf("open-tree: blocked (%s)\n", strerror(errno));
}

static void mount_attempts(void)
{
	mkdir("/mnt-escape", 0755);
	if (mount("none", "/mnt-escape", "tmpfs", 0, NULL) == 0)
		printf("mount-tmpfs: ESCAPED (mounted a tmpfs)\n");
	else
		printf("mount-tmpfs: blocked (%s)\n", strerror(errno));
	if (mount("/", "/mnt-escape", NULL, MS_BIND | MS_REC, NULL) == 0)
		printf("mount-bind: ESCAPED (bind-mounted /)\n");
	else
		printf("mount-bind: blocked (%s)\n", strerror(errno));
	if (umount2("/proc/sys", MNT_DETACH) == 0)
		printf("umount-proc-sys: ESCAPED (unmounted the read-only /proc/sys)\n");
	else
		printf("umount-proc-sys: blocked (%s)\n", strerror(errno));
}

/* Root may write /proc/sys/kernel/core_pattern unless it is read-only:
 * a "|program" there runs on the host. Only the open is tried. */
static void core_pattern(void)
{
	int fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);

	if (fd >= 0) {
		printf("core-pattern: ESCAPED (opened core_pattern for writing)\n");
		close(fd);
	} else {
		printf("core-pattern: blocked (%s)\n", strerror(errno));
	}
}

/* MKNOD is in Docker's default set: a node for the host's disk must not
 * open (the root and /dev are nodev). */
static void block_device(const char *device)
{
	unsigned major_number, minor_number;
	int fd;

	if (!device || sscanf(device, "%u:%u", &major_number, &minor_number) != 2)
		return;
	if (mknod("/host-disk", S_IFBLK | 0600, makedev(major_number, minor_number)) < 0) {
		printf("block-device: blocked (mknod: %s)\n", strerror(errno));
		return;
	}
	fd = open("/host-disk", O_RDONLY);
	if (fd >= 0) {
		printf("block-device: ESCAPED (opened the host's disk %s)\n", device);
		close(fd);
	} else {
		printf("block-device: blocked (%s)\n", strerror(errno));
	}
}

int main(int argc, char **argv)
{
	char prefix[64];
	int pid;

	if (argc < 3) {
		fprintf(stderr, "usage: escape MARKER CREATE [MAJOR:MINOR]\n");
		return 2;
	}
	marker = argv[1];
	create = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	try_host("direct", "");
	try_host("proc-1-root", "/proc/1/root");
	for (pid = 2; pid < 64; pid++) {
		snprintf(prefix, sizeof prefix, "/proc/%d/root", pid);
		if (access(prefix, F_OK) == 0)
			try_host("proc-pid-root", prefix);
	}
	open_tree_clone();
	mount_attempts();
	core_pattern();
	block_device(argc > 3 ? argv[3] : NULL);
	chroot_walk();   /* last: it changes this process's root */
	return 0;
}
