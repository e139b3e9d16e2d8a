/* _dl_find_object finds the object holding a PC and its .eh_frame_hdr. */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include "check.h"
#include "../../CShim/compat/compat.h"

static uintptr_t eh_frame_hdr;
static int find_eh(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size; (void)data;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_EH_FRAME)
			eh_frame_hdr = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
	return 1;
}

int main(void)
{
	struct dl_find_object r;
	dl_iterate_phdr(find_eh, 0);
	CHECK(eh_frame_hdr != 0, "link with --eh-frame-hdr: no PT_GNU_EH_FRAME");
	CHECK(_dl_find_object((void *)main, &r) == 0, "main's PC not found");
	CHECK((uintptr_t)r.dlfo_map_start <= (uintptr_t)main && (uintptr_t)main < (uintptr_t)r.dlfo_map_end,
	      "map [%p, %p) does not contain main %p", r.dlfo_map_start, r.dlfo_map_end, (void *)main);
	CHECK((uintptr_t)r.dlfo_eh_frame == eh_frame_hdr, "eh_frame %p, PT_GNU_EH_FRAME at %p", r.dlfo_eh_frame, (void *)eh_frame_hdr);
	CHECK(_dl_find_object((void *)16, &r) == -1, "a PC outside every object was found");
	printf("PASS _dl_find_object\n");
	return 0;
}
