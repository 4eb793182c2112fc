/* SPDX-License-Identifier: MIT */
/*
 * ptwalk: builds a small guest layout on simulated RAM with each page-table
 * format and prints the tables level by level — every descriptor, raw and
 * decoded — and the registers that would point the MMU at them.
 *
 *   ptwalk [FORMAT...]   (default: every format; names as in vmcfg_pt_format_find)
 *
 * The layout: a device page (UART), a 2 MiB identical block of RAM, two
 * pages of MapAlloc RAM, one lazy page, one MapAlloc page with its zeroing
 * deferred, and a read-only 1 GiB block.
 * tests/mm/run compares the output with tests/mm/ptwalk.expected.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmcfg/aspace.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16ull << 20)

static void flag_string(uint32_t f, char out[16])
{
	out[0] = f & VMCFG_MEM_READ ? 'r' : '-';
	out[1] = f & VMCFG_MEM_WRITE ? 'w' : '-';
	out[2] = f & VMCFG_MEM_EXECUTE ? 'x' : '-';
	out[3] = f & VMCFG_MEM_USER ? 'u' : '-';
	out[4] = f & VMCFG_MEM_DEVICE ? 'D' : f & VMCFG_MEM_UNCACHED ? 'U' : '-';
	out[5] = 0;
}

static const char *size_name(unsigned level)
{
	static const char *names[] = { "4K", "2M", "1G", "512G" };
	return names[level];
}

static int print_desc(void *ud, const struct vmcfg_desc_visit *v)
{
	unsigned root = *(unsigned *)ud;
	char flags[16];
	printf("%*s[L%u %4u] gpa 0x%012llx  0x%016llx  %-5s", (int)(root - v->level) * 2, "",
	       v->level, v->index, (unsigned long long)v->gpa, (unsigned long long)v->desc,
	       vmcfg_pte_type_name(v->pte.type));
	switch (v->pte.type) {
	case VMCFG_PTE_TABLE:
		printf(" -> %#llx\n", (unsigned long long)v->pte.pa);
		break;
	case VMCFG_PTE_LEAF:
		flag_string(v->pte.flags, flags);
		printf(" %-2s hpa %#llx %s%s\n", size_name(v->level), (unsigned long long)v->pte.pa,
		       flags, v->pte.owned ? " owned" : "");
		break;
	case VMCFG_PTE_LAZY:
		flag_string(v->pte.flags, flags);
		printf(" %-2s %s\n", size_name(v->level), flags);
		break;
	case VMCFG_PTE_DEFERRED:
		flag_string(v->pte.flags, flags);
		printf(" %-2s hpa %#llx %s\n", size_name(v->level), (unsigned long long)v->pte.pa,
		       flags);
		break;
	case VMCFG_PTE_NONE:
		printf(" (undecodable)\n");
		break;
	}
	return 0;
}

static int walk_format(const struct vmcfg_pt_format *f)
{
	static uint64_t bitmap[VMCFG_SIM_BITMAP_WORDS(RAM_SIZE)];
	struct vmcfg_sim_mem sim;
	struct vmcfg_aspace as;
	enum vmcfg_ident_how how;
	void *ram = malloc(RAM_SIZE);
	unsigned ipa = f->max_ipa_bits < 48 ? 40 : 48, pa_bits = f->kind <= VMCFG_PT_ARM64_S2_4L ? ipa : 48;
	int err;

	if (!ram || vmcfg_sim_mem_init(&sim, ram, RAM_SIZE, RAM_BASE, bitmap,
				       VMCFG_SIM_BITMAP_WORDS(RAM_SIZE), false))
		return 1;
	struct vmcfg_hal hal = vmcfg_sim_mem_hal(&sim);
	if ((err = vmcfg_aspace_init(&as, &hal, f->kind, ipa, 0)) ||
	    (err = vmcfg_aspace_map_linear(&as, 0x09000000, 0x09000000, 0x1000,
					   VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_DEVICE)) ||
	    (err = vmcfg_aspace_map_identical(&as, 0x40200000, 0x200000,
					      VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE, &how)) ||
	    (err = vmcfg_aspace_map_alloc(&as, 0x80000000, 0x2000,
					  VMCFG_MEM_READ | VMCFG_MEM_WRITE)) ||
	    (err = vmcfg_aspace_map_lazy(&as, 0x80004000, 0x1000,
					 VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_USER)) ||
	    (err = vmcfg_aspace_map_alloc_deferred(&as, 0x80006000, 0x1000,
						   VMCFG_MEM_READ | VMCFG_MEM_WRITE)) ||
	    (err = vmcfg_aspace_map_linear(&as, 0x100000000ull, 0x100000000ull, 1ull << 30,
					   VMCFG_MEM_READ))) {
		fprintf(stderr, "ptwalk: %s: %s\n", f->name, vmcfg_strerror(err));
		return 1;
	}

	struct vmcfg_pt_regs regs;
	struct vmcfg_aspace_stats st;
	if ((err = vmcfg_aspace_regs(&as, pa_bits, &regs))) {
		fprintf(stderr, "ptwalk: %s: regs: %s\n", f->name, vmcfg_strerror(err));
		return 1;
	}
	vmcfg_aspace_stats(&as, &st);
	printf("format %s, IPA %u bits, %u levels, root %#llx (%u page%s)\n", f->name, ipa, f->levels,
	       (unsigned long long)as.root_pa, as.root_pages, as.root_pages > 1 ? "s" : "");
	if (f->kind <= VMCFG_PT_ARM64_S2_4L)
		printf("VTTBR_EL2 0x%016llx  VTCR_EL2 0x%016llx  (PA %u bits)\n",
		       (unsigned long long)regs.root, (unsigned long long)regs.control, pa_bits);
	else if (f->kind == VMCFG_PT_X86_EPT4)
		printf("EPTP 0x%016llx\n", (unsigned long long)regs.root);
	else
		printf("hgatp 0x%016llx\n", (unsigned long long)regs.root);
	unsigned root_level = f->levels - 1;
	vmcfg_aspace_for_each_desc(&as, print_desc, &root_level);
	printf("table pages %llu, owned frames %llu, mapped %llu bytes\n\n",
	       (unsigned long long)st.table_pages, (unsigned long long)st.owned_frames,
	       (unsigned long long)st.mapped_bytes);
	vmcfg_aspace_destroy(&as);
	err = sim.in_use != 0;
	free(ram);
	return err;
}

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc == 1) {
		for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++)
			bad |= walk_format(vmcfg_pt_format_get(k));
		return bad;
	}
	for (int i = 1; i < argc; i++) {
		const struct vmcfg_pt_format *f = vmcfg_pt_format_find(argv[i]);
		if (!f) {
			fprintf(stderr, "ptwalk: unknown format '%s'\n", argv[i]);
			return 2;
		}
		bad |= walk_format(f);
	}
	return bad;
}
