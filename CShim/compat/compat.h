/* Declarations for the glibc-only symbols that CShim/compat supplies to
 * musl links. Internal to compat/: never installed, never seen by Swift. */
#ifndef CSHIM_COMPAT_H
#define CSHIM_COMPAT_H
#include <stddef.h>
#include <stdint.h>

uint32_t arc4random(void);
void arc4random_buf(void *buffer, size_t length);
uint32_t arc4random_uniform(uint32_t upper_bound);

int backtrace(void **buffer, int size);
char **backtrace_symbols(void *const *buffer, int size);
void backtrace_symbols_fd(void *const *buffer, int size, int fd);

/* glibc 2.35 <dlfcn.h>, x86_64 layout (no dlfo_eh_dbase). */
struct dl_find_object {
	unsigned long long dlfo_flags;
	void *dlfo_map_start;
	void *dlfo_map_end;
	struct link_map *dlfo_link_map;
	void *dlfo_eh_frame;
	unsigned long long __dlfo_reserved[7];
};
_Static_assert(sizeof(struct dl_find_object) == 96, "glibc's struct dl_find_object is 96 bytes on LP64");
int _dl_find_object(void *pc, struct dl_find_object *result);
#endif
