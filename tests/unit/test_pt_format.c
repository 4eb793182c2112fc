/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tests of lib/mm's page-table formats: hand-computed 64-bit
 * values for page, block, table, device, non-executable and read-only
 * entries, decoded back to exactly the flags mapped, and the registers.
 * Levels count from the leaf: 0 = 4 KiB page, 1 = 2 MiB, 2 = 1 GiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/aspace.h"

#define R VMCFG_MEM_READ
#define W VMCFG_MEM_WRITE
#define X VMCFG_MEM_EXECUTE
#define U VMCFG_MEM_USER
#define DEV VMCFG_MEM_DEVICE
#define NC VMCFG_MEM_UNCACHED

static const struct vmcfg_pt_format *fmt(enum vmcfg_pt_kind k)
{
	const struct vmcfg_pt_format *f = vmcfg_pt_format_get(k);
	assert_non_null(f);
	return f;
}

/* Encodes a leaf, checks the value, and checks it decodes to exactly what was encoded. */
static void leaf_is(const struct vmcfg_pt_format *f, unsigned level, uint64_t pa, uint32_t flags,
		    bool owned, uint64_t expect)
{
	struct vmcfg_pte pte;
	assert_int_equal(f->check_flags(flags), 0);
	uint64_t d = f->encode_leaf(level, pa, flags, owned);
	if (d != expect)
		print_error("%s level %u pa %#llx flags %#x: got %#018llx, want %#018llx\n", f->name,
			    level, (unsigned long long)pa, flags, (unsigned long long)d,
			    (unsigned long long)expect);
	assert_int_equal(d, expect);
	assert_int_equal(f->decode(level, d, &pte), 0);
	assert_int_equal(pte.type, VMCFG_PTE_LEAF);
	assert_int_equal(pte.pa, pa);
	assert_int_equal(pte.flags, flags);
	assert_int_equal(pte.owned, owned);
}

static void table_is(const struct vmcfg_pt_format *f, unsigned level, uint64_t pa, uint64_t expect)
{
	struct vmcfg_pte pte;
	assert_int_equal(f->encode_table(pa), expect);
	assert_int_equal(f->decode(level, expect, &pte), 0);
	assert_int_equal(pte.type, VMCFG_PTE_TABLE);
	assert_int_equal(pte.pa, pa);
}

static void decode_fails(const struct vmcfg_pt_format *f, unsigned level, uint64_t desc)
{
	struct vmcfg_pte pte;
	assert_int_equal(f->decode(level, desc, &pte), VMCFG_EINVAL);
}

/*
 * Arm ARM (DDI 0487) D8.3 "Translation table descriptor formats", stage 2
 * block and page descriptors: [1:0] 0b01 block / 0b11 page or table,
 * MemAttr[5:2] (stage 2: 0b1111 Normal WB, 0b0101 Normal NC, 0b0001
 * Device-nGnRE), S2AP[7:6], SH[9:8], AF[10], XN bit 54, software [58:55].
 */
static void test_arm64_descriptors(void **state)
{
	const struct vmcfg_pt_format *f = fmt(VMCFG_PT_ARM64_S2_3L);
	(void)state;

	/* page, RWX normal WB: 0b11 | MemAttr 0x3C | S2AP 0xC0 | SH 0x300 | AF 0x400 */
	leaf_is(f, 0, 0x40000000, R | W | X, false, 0x00000000400007ffull);
	/* non-executable page: + XN (bit 54) */
	leaf_is(f, 0, 0x40000000, R | W, false, 0x00400000400007ffull);
	/* read-only, non-executable page: S2AP = 0b01 */
	leaf_is(f, 0, 0x40001000, R, false, 0x004000004000177full);
	/* write-only: S2AP = 0b10 is a valid encoding, never an invalid descriptor */
	leaf_is(f, 0, 0x40003000, W, false, 0x00400000400037bfull);
	/* execute-only: S2AP = 0b00, XN clear */
	leaf_is(f, 0, 0x40000000, X, false, 0x000000004000073full);
	/* 2 MiB block (Arm level 2): [1:0] = 0b01 */
	leaf_is(f, 1, 0x40200000, R | W | X, false, 0x00000000402007fdull);
	/* 1 GiB block (Arm level 1), non-executable */
	leaf_is(f, 2, 0x80000000, R | W, false, 0x00400000800007fdull);
	/* device page: MemAttr 0b0001, SH 0b00, XN */
	leaf_is(f, 0, 0x09000000, R | W | DEV, false, 0x00400000090004c7ull);
	/* normal non-cacheable page: MemAttr 0b0101 */
	leaf_is(f, 0, 0x40002000, R | W | NC, false, 0x00400000400027d7ull);
	/* owned (software bit 55) and USER (software bit 56) */
	leaf_is(f, 0, 0x40000000, R | W | X | U, true, 0x01800000400007ffull);
	/* table descriptor: address | 0b11, no attributes at stage 2 */
	table_is(f, 1, 0x40005000, 0x0000000040005003ull);
	table_is(f, 2, 0x40005000, 0x0000000040005003ull);

	/* what the encoders never produce */
	decode_fails(f, 0, 0x0000000040000001ull | 0x7fc); /* block bits at page level: reserved */
	decode_fails(f, 1, 0x00000000402017fdull);          /* 2 MiB block not 2 MiB aligned */
	decode_fails(f, 0, 0x00000000400007e3ull);          /* MemAttr 0b1000 */
	decode_fails(f, 0, 0x00000000400003ffull);          /* AF clear */
	decode_fails(f, 0, 0x0000000000000004ull);          /* invalid but not lazy */
}

/* VTCR_EL2 (Arm ARM D23.2, "VTCR_EL2"): T0SZ[5:0], SL0[7:6], IRGN0[9:8],
 * ORGN0[11:10], SH0[13:12], TG0[15:14], PS[18:16], bit 31 RES1. */
static void test_arm64_vtcr(void **state)
{
	struct vmcfg_pt_regs r;
	const struct vmcfg_pt_format *f3 = fmt(VMCFG_PT_ARM64_S2_3L);
	const struct vmcfg_pt_format *f4 = fmt(VMCFG_PT_ARM64_S2_4L);
	(void)state;

	/* 40-bit IPA, 3 levels: T0SZ 24, SL0 0b01 (start at level 1), PS 0b010 (40 bits);
	 * the root is 2 concatenated level-1 tables (8 KiB, 8 KiB aligned). */
	assert_int_equal(f3->root_pages(40), 2);
	assert_int_equal(f3->regs(40, 40, 0x40002000, &r), 0);
	assert_int_equal(r.control, 0x80023558ull);
	assert_int_equal(r.root, 0x40002000ull);
	assert_int_equal(f3->regs(40, 40, 0x40001000, &r), VMCFG_EALIGN); /* not 8 KiB aligned */
	assert_int_equal(f3->regs(40, 36, 0x40002000, &r), VMCFG_ERANGE); /* IPA wider than PA */
	assert_int_equal(f3->regs(40, 41, 0x40002000, &r), VMCFG_EINVAL); /* no PS encoding */
	/* 39-bit IPA: one root table, T0SZ 25 */
	assert_int_equal(f3->root_pages(39), 1);
	assert_int_equal(f3->regs(39, 40, 0x40001000, &r), 0);
	assert_int_equal(r.control, 0x80023559ull);
	/* 48-bit IPA, 4 levels: T0SZ 16, SL0 0b10 (level 0), PS 0b101 (48 bits) */
	assert_int_equal(f4->root_pages(48), 1);
	assert_int_equal(f4->regs(48, 48, 0x40001000, &r), 0);
	assert_int_equal(r.control, 0x80053590ull);
	assert_int_equal(f4->regs(40, 48, 0x40001000, &r), VMCFG_ERANGE);
}

/*
 * RISC-V privileged spec, "Hypervisor Extension" / "Two-Stage Address
 * Translation" (Sv39x4: 16 KiB root, guest physical addresses of 41 bits)
 * with the Sv39 PTE: V0 R1 W2 X3 U4 G5 A6 D7, RSW[9:8], PPN[53:10],
 * PBMT[62:61] (Svpbmt: 1 NC, 2 IO). G-stage leaves must have U set.
 */
static void test_riscv_descriptors(void **state)
{
	const struct vmcfg_pt_format *f = fmt(VMCFG_PT_RISCV_SV39X4);
	(void)state;

	/* page RWX at 0x8000_0000: PPN 0x80000 << 10 = 0x2000_0000; V|R|W|X|U|A|D = 0xDF */
	leaf_is(f, 0, 0x80000000, R | W | X, false, 0x00000000200000dfull);
	/* non-executable: X clear */
	leaf_is(f, 0, 0x80000000, R | W, false, 0x00000000200000d7ull);
	/* read-only page at 0x8000_1000: V|R|U|A|D = 0xD3 */
	leaf_is(f, 0, 0x80001000, R, false, 0x00000000200004d3ull);
	/* execute-only is a legal leaf */
	leaf_is(f, 0, 0x80000000, X, false, 0x00000000200000d9ull);
	/* 2 MiB megapage (level 1) */
	leaf_is(f, 1, 0x80200000, R | W | X, false, 0x00000000200800dfull);
	/* 1 GiB gigapage (level 2), non-executable */
	leaf_is(f, 2, 0xC0000000, R | W, false, 0x00000000300000d7ull);
	/* device page: PBMT = IO (2 << 61) */
	leaf_is(f, 0, 0x10000000, R | W | DEV, false, 0x40000000040000d7ull);
	/* uncached page: PBMT = NC (1 << 61) */
	leaf_is(f, 0, 0x10000000, R | W | NC, false, 0x20000000040000d7ull);
	/* USER in RSW bit 8, owned in RSW bit 9 */
	leaf_is(f, 0, 0x80000000, R | W | X | U, true, 0x00000000200003dfull);
	/* non-leaf: V and PPN only (A, D, U reserved in non-leaf PTEs) */
	table_is(f, 1, 0x80004000, 0x0000000020001001ull);
	table_is(f, 2, 0x80004000, 0x0000000020001001ull);

	/* W without R is reserved: refused, never encoded */
	assert_int_equal(f->check_flags(W), VMCFG_EINVAL);
	assert_int_equal(f->check_flags(W | X), VMCFG_EINVAL);
	decode_fails(f, 0, 0x00000000200000d5ull); /* V|W|U|A|D */
	decode_fails(f, 0, 0x0000000020001001ull); /* pointer at the last level */
	decode_fails(f, 1, 0x00000000200004dfull); /* misaligned megapage */
	decode_fails(f, 0, 0x000000002000005full); /* D clear */
}

/* hgatp (RISC-V privileged spec, "Hypervisor Guest Address Translation and
 * Protection Register"): MODE[63:60] 8 = Sv39x4, 9 = Sv48x4; VMID[57:44]; PPN[43:0]. */
static void test_riscv_hgatp(void **state)
{
	struct vmcfg_pt_regs r;
	(void)state;
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV39X4)->root_pages(41), 4);
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV39X4)->regs(41, 56, 0x80000000, &r), 0);
	assert_int_equal(r.root, 0x8000000000080000ull);
	assert_int_equal(r.control, 0);
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV48X4)->regs(50, 56, 0x80004000, &r), 0);
	assert_int_equal(r.root, 0x9000000000080004ull);
	/* the root must be 16 KiB aligned */
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV39X4)->regs(41, 56, 0x80001000, &r), VMCFG_EALIGN);
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV39X4)->regs(42, 56, 0x80000000, &r), VMCFG_ERANGE);
}

/*
 * Intel SDM Vol. 3C, 29.3.2 "EPT Translation Mechanism" (tables 29-1..29-6):
 * R0 W1 X2, memory type [5:3] (29.3.7: 0 UC, 6 WB), ignore-PAT bit 6,
 * bit 7 maps a 1 GiB / 2 MiB page, bits 11:8 and 63:52 ignored.
 */
static void test_ept_descriptors(void **state)
{
	const struct vmcfg_pt_format *f = fmt(VMCFG_PT_X86_EPT4);
	(void)state;

	/* 4 KiB page RWX write-back: 7 | 6 << 3 */
	leaf_is(f, 0, 0x1000, R | W | X, false, 0x0000000000001037ull);
	/* non-executable */
	leaf_is(f, 0, 0x1000, R | W, false, 0x0000000000001033ull);
	/* read-only */
	leaf_is(f, 0, 0x1000, R, false, 0x0000000000001031ull);
	/* execute-only (needs IA32_VMX_EPT_VPID_CAP bit 0) */
	leaf_is(f, 0, 0x1000, X, false, 0x0000000000001034ull);
	/* 2 MiB page: bit 7 */
	leaf_is(f, 1, 0x200000, R | W | X, false, 0x00000000002000b7ull);
	/* 1 GiB page, non-executable */
	leaf_is(f, 2, 0x40000000, R | W, false, 0x00000000400000b3ull);
	/* device: UC and ignore-PAT */
	leaf_is(f, 0, 0xFEC00000, R | W | DEV, false, 0x00000000fec00043ull);
	/* uncached normal memory: UC, guest PAT still applies */
	leaf_is(f, 0, 0xFEC00000, R | W | NC, false, 0x00000000fec00003ull);
	/* owned in ignored bit 11, USER in ignored bit 52 */
	leaf_is(f, 0, 0x1000, R | W | X | U, true, 0x0010000000001837ull);
	/* paging-structure entries: address | R | W | X */
	table_is(f, 3, 0x5000, 0x0000000000005007ull);
	table_is(f, 1, 0x5000, 0x0000000000005007ull);

	/* W without R is an EPT misconfiguration */
	assert_int_equal(f->check_flags(W), VMCFG_EINVAL);
	decode_fails(f, 0, 0x0000000000001032ull); /* W only */
	decode_fails(f, 0, 0x000000000000103full); /* memory type 7 */
	decode_fails(f, 3, 0x00000000000010b7ull); /* bit 7 in a PML4 entry */
}

/* EPTP (SDM Vol. 3C, 25.6.11): memory type [2:0] = 6 WB, page-walk length - 1 in [5:3]. */
static void test_eptp(void **state)
{
	struct vmcfg_pt_regs r;
	(void)state;
	assert_int_equal(fmt(VMCFG_PT_X86_EPT4)->regs(48, 46, 0x100000, &r), 0);
	assert_int_equal(r.root, 0x000000000010001eull);
	assert_int_equal(fmt(VMCFG_PT_X86_EPT4)->regs(48, 46, 0x100800, &r), VMCFG_EALIGN);
}

/*
 * Every flag combination, every leaf level, every format: either refused by
 * check_flags, or encoded into a valid descriptor that decodes to exactly
 * those flags — and on arm64 carries XN whenever EXECUTE is absent (the
 * reference never set XN and made W-only descriptors invalid).
 */
static void test_all_flags_round_trip(void **state)
{
	(void)state;
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		const struct vmcfg_pt_format *f = fmt(k);
		for (uint32_t flags = 0; flags <= 0x7f; flags++) {
			bool ok = f->check_flags(flags) == 0;
			bool expect_ok = !(flags & ~VMCFG_MEM_ALL) && (flags & (R | W | X)) &&
					 !((flags & DEV) && (flags & NC)) &&
					 (k <= VMCFG_PT_ARM64_S2_4L || !((flags & W) && !(flags & R)));
			assert_int_equal(ok, expect_ok);
			if (!ok)
				continue;
			for (unsigned level = 0; level < 3; level++) {
				for (int owned = 0; owned < 2; owned++) {
					struct vmcfg_pte pte;
					uint64_t pa = vmcfg_pt_level_size(level) * 3;
					uint64_t d = f->encode_leaf(level, pa, flags, owned);
					assert_int_equal(f->decode(level, d, &pte), 0);
					assert_int_equal(pte.type, VMCFG_PTE_LEAF);
					assert_int_equal(pte.flags, flags);
					assert_int_equal(pte.pa, pa);
					assert_int_equal(pte.owned, owned);
					if (k <= VMCFG_PT_ARM64_S2_4L) {
						assert_true(d & 1); /* valid */
						assert_int_equal(!!(d & (1ull << 54)), !(flags & X));
					}
				}
			}
			/* lazy descriptors: invalid to every MMU, flags kept */
			uint64_t lazy = f->encode_lazy(flags);
			struct vmcfg_pte pte;
			assert_int_equal(lazy & 7, 0);
			assert_int_equal(f->decode(0, lazy, &pte), 0);
			assert_int_equal(pte.type, VMCFG_PTE_LAZY);
			assert_int_equal(pte.flags, flags);
			/* deferred leaves: invalid too, frames and flags kept, aligned per level */
			for (unsigned level = 0; level < 3; level++) {
				uint64_t pa = (1ull << (f->max_pa_bits - 1)) + vmcfg_pt_level_size(level);
				uint64_t d = f->encode_deferred(level, pa, flags);
				assert_int_equal(d & 7, 0);
				assert_int_equal(f->decode(level, d, &pte), 0);
				assert_int_equal(pte.type, VMCFG_PTE_DEFERRED);
				assert_int_equal(pte.pa, pa);
				assert_int_equal(pte.flags, flags);
				assert_true(pte.owned);
				assert_int_not_equal(d, lazy);
				/* the same frames are misaligned one level up; no leaf at level 3 */
				assert_int_equal(f->decode(level + 1, d, &pte), VMCFG_EINVAL);
			}
		}
		struct vmcfg_pte none;
		assert_int_equal(f->decode(0, 0, &none), 0);
		assert_int_equal(none.type, VMCFG_PTE_NONE);
	}
}

static void test_registry(void **state)
{
	(void)state;
	assert_null(vmcfg_pt_format_get(VMCFG_PT_KIND_COUNT));
	assert_null(vmcfg_pt_format_find("arm64"));
	assert_string_equal(vmcfg_pte_type_name(VMCFG_PTE_NONE), "none");
	assert_string_equal(vmcfg_pte_type_name(VMCFG_PTE_DEFERRED), "deferred");
	assert_string_equal(vmcfg_pte_type_name((enum vmcfg_pte_type)99), "?");
	for (unsigned k = 0; k < VMCFG_PT_KIND_COUNT; k++) {
		const struct vmcfg_pt_format *f = fmt(k);
		assert_int_equal(f->kind, k);
		assert_ptr_equal(vmcfg_pt_format_find(f->name), f);
	}
	assert_int_equal(fmt(VMCFG_PT_ARM64_S2_3L)->levels, 3);
	assert_int_equal(fmt(VMCFG_PT_ARM64_S2_4L)->levels, 4);
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV39X4)->levels, 3);
	assert_int_equal(fmt(VMCFG_PT_RISCV_SV48X4)->levels, 4);
	assert_int_equal(fmt(VMCFG_PT_X86_EPT4)->levels, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_descriptors),
		cmocka_unit_test(test_arm64_vtcr),
		cmocka_unit_test(test_riscv_descriptors),
		cmocka_unit_test(test_riscv_hgatp),
		cmocka_unit_test(test_ept_descriptors),
		cmocka_unit_test(test_eptp),
		cmocka_unit_test(test_all_flags_round_trip),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
