/* Probe support for the dns suite: the resolver calls the DNS probes make.
 * Functions take and return plain C types only (fixed-width integers, char pointers, opaque buffers), never
 * libc structs: Swift imports this header with glibc's headers, while the
 * musl variant links a copy of CShim compiled by musl-gcc.
 *
 * Resolver calls write their result as text lines into `out`:
 *   status ok | status EAI_NONAME | status HOST_NOT_FOUND ...
 *   canon NAME          (when the call reports one)
 *   rcode NOERROR       (res_query / res_search only)
 *   addr ADDRESS        (one line per result, in the order the libc gave)
 * and return 0 on success or the libc's own error code. */
#ifndef CSHIM_DNS_H
#define CSHIM_DNS_H
#include <stddef.h>
#include <stdint.h>

/* Address families, in CShim's own numbering (not AF_*). */
enum { CSHIM_FAMILY_UNSPEC = 0, CSHIM_FAMILY_INET = 4, CSHIM_FAMILY_INET6 = 6 };

/* getaddrinfo flags, in CShim's own numbering (mapped to AI_* inside). */
enum {
	CSHIM_AI_CANONNAME = 1, CSHIM_AI_ADDRCONFIG = 2, CSHIM_AI_NUMERICHOST = 4,
	CSHIM_AI_V4MAPPED = 8, CSHIM_AI_ALL = 16, CSHIM_AI_NUMERICSERV = 32,
	CSHIM_AI_PASSIVE = 64
};

/* getaddrinfo(name, service, hints) with hints.ai_socktype = SOCK_STREAM,
 * or hints = NULL when null_hints is non-zero. Returns the EAI code. */
int cshim_dns_getaddrinfo(const char *name, const char *service, int family,
                          int flags, int null_hints, char *out, size_t cap);
/* gethostbyname (family 4) or gethostbyname2 (family 6). Returns h_errno. */
int cshim_dns_gethostbyname(const char *name, int family, char *out, size_t cap);
/* res_query (search == 0) or res_search, class IN. Returns h_errno or 0. */
int cshim_dns_res_query(const char *name, int search, int qtype, char *out, size_t cap);
/* Appends a DNS response's rcode, answer addresses and owner name as text. */
void cshim_dns_format_answer(const unsigned char *msg, int len, char *out, size_t cap);
/* "EAI_NONAME", "EAI_AGAIN", ... for this libc's own EAI values. */
const char *cshim_dns_eai_name(int code);
/* "HOST_NOT_FOUND", "TRY_AGAIN", "NO_RECOVERY", "NO_DATA" for h_errno. */
const char *cshim_dns_herrno_name(int code);
/* Appends printf-formatted text to the NUL-terminated buffer out. */
void cshim_dns_append(char *out, size_t cap, const char *fmt, ...);

#endif
