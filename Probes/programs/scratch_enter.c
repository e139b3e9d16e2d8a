/* scratch_enter: the last step into a hardened scratch root, where a
 * shell cannot go. `static-musl scratch` runs it (statically linked, so it
 * needs nothing from either root) as the final exec of its sandbox script,
 * inside fresh mount and pid namespaces, once the script has mounted and
 * filled a size-limited tmpfs at NEWROOT. It then:
 *
 *   1. pivot_root(2)s into NEWROOT and detaches the old root (umount2
 *      MNT_DETACH): unlike chroot, no path, `..` walk, second chroot or
 *      /proc/1/root leads back to the host's files any more;
 *   2. cuts the capability bounding set to Docker's default set (or keeps
 *      every capability with --privileged), sets effective, permitted and
 *      inheritable to the same set and clears the ambient set;
 *   3. sets PR_SET_NO_NEW_PRIVS (no set-user-ID or file-capability gains);
 *   4. execve(2)s the program, keeping its pid (1 in the new namespace).
 *
 * Usage: scratch_enter [--privileged] NEWROOT PROGRAM [ARG...]
 *
 * Set-up failures print "static-musl-lab: ..." and exit 125 (what the
 * sandbox script's own failures do); an execve failure prints
 * "scratch_enter: failed to run command 'PROGRAM': <strerror>" and exits
 * 127 for ENOENT, else 126, as chroot(8) and `docker run` do. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* From <linux/capability.h>, which musl-gcc's include path lacks. */
enum {
	CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_FOWNER = 3, CAP_FSETID = 4, CAP_KILL = 5,
	CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_NET_BIND_SERVICE = 10,
	CAP_NET_RAW = 13, CAP_SYS_CHROOT = 18, CAP_MKNOD = 27, CAP_AUDIT_WRITE = 29,
	CAP_SETFCAP = 31,
};
#define LINUX_CAPABILITY_VERSION_3 0x20080522
struct cap_header { unsigned version; int pid; };
struct cap_data { unsigned effective, permitted, inheritable; };

/* Docker's default capabilities (moby's oci/caps/defaults.go). */
static const int docker_default_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

static void fail(const char *what)
{
	fprintf(stderr, "static-musl-lab: scratch_enter: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int is_kept(int cap)
{
	size_t i;

	for (i = 0; i < sizeof docker_default_caps / sizeof docker_default_caps[0]; i++)
		if (docker_default_caps[i] == cap)
			return 1;
	return 0;
}

/* The highest capability this kernel knows, from /proc (mounted in the
 * new root by the script) or, failing that, by probing the bounding set. */
static int last_capability(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = -1, cap;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = -1;
		fclose(f);
	}
	if (last >= 0)
		return last;
	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;
	return cap - 1;
}

static void drop_capabilities(void)
{
	struct cap_header header = { LINUX_CAPABILITY_VERSION_3, 0 };
	struct cap_data data[2];
	int last = last_capability(), cap;

	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the capset below may remove. */
	for (cap = 0; cap <= last; cap++)
		if (!is_kept(cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			fail("PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		fail("PR_CAP_AMBIENT_CLEAR_ALL");
	memset(data, 0, sizeof data);
	for (cap = 0; cap <= last && cap < 64; cap++) {
		if (!is_kept(cap))
			continue;
		data[cap / 32].effective |= 1u << (cap % 32);
		data[cap / 32].permitted |= 1u << (cap % 32);
		data[cap / 32].inheritable |= 1u << (cap % 32);
	}
	if (syscall(SYS_capset, &header, data) < 0)
		fail("capset");
}

int main(int argc, char **argv)
{
	int privileged = 0, first = 1;
	const char *root;

	if (argc > 1 && !strcmp(argv[1], "--privileged")) {
		privileged = 1;
		first = 2;
	}
	if (argc < first + 2) {
		fprintf(stderr, "usage: scratch_enter [--privileged] NEWROOT PROGRAM [ARG...]\n");
		return 125;
	}
	root = argv[first];
	if (chdir(root) < 0)
		fail("chdir into the new root");
	/* pivot_root(".", "."): the old root is stacked on top of the new
	 * one, and unmounting "." then takes it away (as runc does), so no
	 * put_old folder is left inside the new root. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		fail("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		fail("detaching the old root");
	if (chdir("/") < 0)
		fail("chdir /");
	if (!privileged)
		drop_capabilities();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail("PR_SET_NO_NEW_PRIVS");
	execve(argv[first + 1], argv + first + 1, environ);
	fprintf(stderr, "scratch_enter: failed to run command '%s': %s\n", argv[first + 1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
