/* link: -Wl,--wrap=freeaddrinfo */
#include <netdb.h>

/* glibc's freeaddrinfo(NULL) does nothing; musl's dereferences its
 * argument. swift-corelibs-foundation's Host calls freeaddrinfo on the
 * result pointer even when getaddrinfo failed and left it NULL, so
 * `Host(name: "unknown.invalid").addresses` crashes a musl binary with
 * SIGSEGV. The musl link passes -Wl,--wrap=freeaddrinfo, which routes every
 * call here and the real function to __real_freeaddrinfo. */
void __real_freeaddrinfo(struct addrinfo *list);

void __wrap_freeaddrinfo(struct addrinfo *list)
{
	if (list) __real_freeaddrinfo(list);
}
