/* scratch_probe: what a libc does in an empty, container-like root.
 * Prints one "check: result" line per check, always exits 0 unless its
 * own output fails, so the scratch battery can compare libcs line by line.
 * Run with TZ=America/New_York and LANG=en_US.UTF-8 set by the caller. */
#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cshim_platform.h"

static void user(const char *name)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(name);
	if (pw)
		printf("getpwnam-%s: found uid=%u dir=%s\n", name, (unsigned)pw->pw_uid, pw->pw_dir);
	else
		printf("getpwnam-%s: NULL errno=%d\n", name, errno);
}

static void temp_file(void)
{
	FILE *f = tmpfile();

	if (f) {
		printf("tmpfile: ok\n");
		fclose(f);
	} else {
		printf("tmpfile: NULL errno=%d (%s)\n", errno, strerror(errno));
	}
}

static void zone(void)
{
	time_t t = 1700000000; /* 2023-11-14 22:13:20 UTC: EST is -0500 */
	struct tm tm;
	char buf[64];
	const char *tz = getenv("TZ");

	tzset();
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%H:%M %Z %z", &tm);
	printf("tz: TZ=%s -> %s\n", tz ? tz : "(unset)", buf);
}

static void locale_check(void)
{
	const char *l = setlocale(LC_ALL, "");

	printf("setlocale: \"\" -> %s codeset=%s\n", l ? l : "NULL", nl_langinfo(CODESET));
	l = setlocale(LC_ALL, "C.UTF-8");
	printf("setlocale-c-utf8: %s\n", l ? l : "NULL");
	setlocale(LC_ALL, "C");
}

static void conv(void)
{
	iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
	char in[] = "\xc3\xa9", out[8], *ip = in, *op = out;
	size_t il = 2, ol = sizeof out;

	if (cd == (iconv_t)-1) {
		printf("iconv: iconv_open failed errno=%d (%s)\n", errno, strerror(errno));
		return;
	}
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		printf("iconv: convert failed errno=%d\n", errno);
	else
		printf("iconv: ok %02x%02x\n", (unsigned char)out[0], (unsigned char)out[1]);
	iconv_close(cd);
}

static void certs(void)
{
	static const char *const paths[] = {
		"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
		"/etc/ssl/cert.pem", "/etc/ssl/certs", 0
	};
	const char *env = getenv("SSL_CERT_FILE");
	int i;

	if (env && access(env, R_OK) == 0) {
		printf("certs: SSL_CERT_FILE %s\n", env);
		return;
	}
	for (i = 0; paths[i]; i++)
		if (access(paths[i], R_OK) == 0) {
			printf("certs: %s\n", paths[i]);
			return;
		}
	printf("certs: none found\n");
}

static void lookup(const char *host)
{
	struct addrinfo hints, *res = 0;
	char addr[64] = "";
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, 0, &hints, &res);
	if (rc) {
		printf("dns-%s: error %d (%s)\n", host, rc, gai_strerror(rc));
		return;
	}
	getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof addr, 0, 0, NI_NUMERICHOST);
	printf("dns-%s: %s\n", host, addr);
	freeaddrinfo(res);
}

/* In a child with a 0.3 s timer: a resolver waiting on a nameserver that
 * never answers is itself the result ("no answer within 0.3 s"). */
static void dns(const char *host)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct itimerval limit = { { 0, 0 }, { 0, 300000 } };

		setitimer(ITIMER_REAL, &limit, 0);
		lookup(host);
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		printf("dns-%s: cannot fork\n", host);
		return;
	}
	if (WIFSIGNALED(status))
		printf("dns-%s: no answer within 0.3 s (signal %d)\n", host, WTERMSIG(status));
}

int main(void)
{
	printf("libc: %s %s\n", cshim_libc_name(), cshim_libc_version());
	user("root");
	user("nobody");
	temp_file();
	zone();
	locale_check();
	conv();
	certs();
	dns("localhost");
	dns("example.com");
	return fflush(stdout) ? 1 : 0;
}
