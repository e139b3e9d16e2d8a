#include <stdlib.h>
#include <netdb.h>

/* For getaddrinfo in this archive: each node is one allocation (with its
 * address), the canonical name another. NULL is allowed, as in glibc. */
void freeaddrinfo(struct addrinfo *list)
{
	while (list) {
		struct addrinfo *next = list->ai_next;
		free(list->ai_canonname);
		free(list);
		list = next;
	}
}
