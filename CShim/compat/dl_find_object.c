#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include "compat.h"

/* glibc 2.35 _dl_find_object, which libgcc's unwinder (gcc >= 12) calls to
 * find the .eh_frame_hdr of the object holding a PC. musl's dl_iterate_phdr
 * reports the static executable itself, so walk it and return the object
 * whose PT_LOAD segment contains pc, with its PT_GNU_EH_FRAME address. */
struct search {
	uintptr_t pc;
	struct dl_find_object *result;
	int found;
};

static int visit(struct dl_phdr_info *info, size_t size, void *data)
{
	struct search *s = data;
	(void)size;
	const ElfW(Phdr) *eh = 0;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	int contains = 0;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_GNU_EH_FRAME) eh = ph;
		if (ph->p_type != PT_LOAD) continue;
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;
		uintptr_t end = start + ph->p_memsz;
		if (start < lo) lo = start;
		if (end > hi) hi = end;
		if (s->pc >= start && s->pc < end) contains = 1;
	}
	if (!contains) return 0;
	s->found = 1;
	s->result->dlfo_flags = 0;
	s->result->dlfo_map_start = (void *)lo;
	s->result->dlfo_map_end = (void *)hi;
	s->result->dlfo_link_map = 0;
	s->result->dlfo_eh_frame = eh ? (void *)(info->dlpi_addr + eh->p_vaddr) : 0;
	return 1;
}

int _dl_find_object(void *pc, struct dl_find_object *result)
{
	struct search s = { (uintptr_t)pc, result, 0 };
	dl_iterate_phdr(visit, &s);
	/* Without PT_GNU_EH_FRAME the unwinder cannot use the answer: say "not
	 * found" so libgcc falls back to frames registered by crtbegin. */
	if (!s.found || !result->dlfo_eh_frame) return -1;
	return 0;
}
