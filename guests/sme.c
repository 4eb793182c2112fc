/* SPDX-License-Identifier: MIT */
/*
 * SME under the hypervisor (tests/qemu/run, QEMU -cpu max): the hypervisor
 * gives SME to guests and switches its state per vCPU. Three vCPUs; on 2
 * physical CPUs, vCPUs 0 and 2 share cpu0 and take turns (each WFI gives
 * the CPU up), vCPU 1 has cpu1. Each enables SVE and SME at EL1
 * (CPACR_EL1.FPEN, ZEN, SMEN) and picks its lengths with ZCR_EL1 and
 * SMCR_EL1 (with FA64 where implemented, so FFR exists in Streaming SVE
 * mode):
 *   vCPUs 0, 1: Streaming SVE mode and ZA on (SMSTART), the largest
 *               streaming vector length; Z/P/FFR at that length;
 *   vCPU 2:     ZA on only (SMSTART ZA), streaming length 256 bits, SVE
 *               length 512 bits; Z/P/FFR at the SVE length.
 * Each fills Z0-Z31, P0-P15, FFR and the ZA storage with a pattern of its
 * own and, across many switches, checks that SVCR, RDSVL, RDVL, SMCR_EL1
 * and every bit survived. Only vCPU 0 prints. Without SME (its ID
 * registers say so) it says so and powers off.
 *
 * Built with -mgeneral-regs-only: the compiler never touches the vector
 * registers or ZA, and every instruction it emits is legal in Streaming
 * SVE mode.
 */
#include "guest.h"

#define VCPUS 3 /* MPIDR 0, 1, 2 */
#define ROUNDS 16
#define CPACR_SMEN (3ull << 24)
#define SMCR_FA64 (1ull << 31)
#define SVCR_SM 1ull
#define SVCR_ZA 2ull
#define SMCR_EL1 "S3_0_C1_C2_6"
#define SVCR "S3_3_C4_C2_2"

static uint8_t regs[VCPUS][SVE_STATE_MAX] __attribute__((aligned(16)));
static uint8_t za[VCPUS][SVE_VL_MAX * SVE_VL_MAX] __attribute__((aligned(16)));
static volatile uint32_t streaming_bytes[VCPUS];
static volatile uint64_t svcr_seen[VCPUS];
static int fa64;

static uint32_t rdsvl(void)
{
	uint64_t n;

	__asm__ volatile(".arch_extension sme\n\trdsvl %0, #1" : "=r"(n));
	return (uint32_t)n;
}

static uint64_t svcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, " SVCR : "=r"(v));
	return v;
}

static uint64_t smcr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, " SMCR_EL1 : "=r"(v));
	return v;
}

/* Byte i of vCPU id's registers at vector length vl (FFR, the last vl / 8 bytes, monotonic). */
static uint8_t reg_pattern(uint64_t id, uint32_t vl, uint32_t i, int ffr)
{
	uint32_t start = 32 * vl + 16 * (vl / 8), ffr_true = 3 + 11 * (uint32_t)id;

	if (i >= start) {
		uint32_t bit = (i - start) * 8;

		if (!ffr || bit >= ffr_true)
			return 0;
		return bit + 8 <= ffr_true ? 0xff : (uint8_t)((1u << (ffr_true - bit)) - 1);
	}
	return (uint8_t)(i * 11 + (i >> 8) * 3 + id * 0x6d + 5);
}

static uint8_t za_pattern(uint64_t id, uint32_t i)
{
	return (uint8_t)(i * 29 + (i >> 8) * 5 + id * 0x3b + 7);
}

/* This vCPU's checks; returns how many failed. */
uint32_t team_member(uint64_t id)
{
	uint64_t cpacr, mode = id == 2 ? SVCR_ZA : SVCR_SM | SVCR_ZA;
	uint64_t smcr_len = id == 2 ? 1 : 0xf, zcr_len = id == 2 ? 3 : 0xf;
	uint64_t smcr_want = (fa64 ? SMCR_FA64 : 0) | smcr_len;
	uint8_t *r = regs[id], *z = za[id];
	uint32_t svl, vl, size, failed = 0;
	int ffr;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb"
			 : : "r"(cpacr | CPACR_FPEN | CPACR_ZEN | CPACR_SMEN) : "memory");
	__asm__ volatile("msr " ZCR_EL1 ", %0\n\tisb" : : "r"(zcr_len) : "memory");
	__asm__ volatile("msr " SMCR_EL1 ", %0\n\tisb" : : "r"(smcr_want) : "memory");
	__asm__ volatile("msr " SVCR ", %0\n\tisb" : : "r"(mode) : "memory"); /* SMSTART [ZA] */
	svl = rdsvl();
	vl = sve_rdvl(); /* the streaming length in Streaming SVE mode */
	streaming_bytes[id] = svl;
	if (svl < 16 || svl > SVE_VL_MAX || vl < 16 || vl > SVE_VL_MAX)
		return 1;
	ffr = !(mode & SVCR_SM) || fa64;
	size = 32 * vl + 17 * (vl / 8);
	for (uint32_t i = 0; i < size; i++)
		r[i] = reg_pattern(id, vl, i, ffr);
	for (uint32_t i = 0; i < svl * svl; i++)
		z[i] = za_pattern(id, i);
	sve_load(r, ffr);
	za_load(z);
	for (int round = 0; round < ROUNDS; round++) {
		cpu_yield(); /* another vCPU may run here, in another mode and length */
		svcr_seen[id] = svcr();
		failed += svcr_seen[id] != mode;
		failed += rdsvl() != svl || sve_rdvl() != vl || smcr() != smcr_want;
		for (uint32_t i = 0; i < size; i++)
			r[i] = 0;
		sve_store(r, ffr);
		for (uint32_t i = 0; i < size; i++)
			if (r[i] != reg_pattern(id, vl, i, ffr)) {
				failed++;
				break;
			}
		for (uint32_t i = 0; i < svl * svl; i++)
			z[i] = 0;
		za_store(z);
		for (uint32_t i = 0; i < svl * svl; i++)
			if (z[i] != za_pattern(id, i)) {
				failed++;
				break;
			}
	}
	return failed;
}

int main(void)
{
	uint64_t pfr0, pfr1, smfr0;

	__asm__ volatile("mrs %0, S3_0_C0_C4_0" : "=r"(pfr0));  /* ID_AA64PFR0_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C4_1" : "=r"(pfr1));  /* ID_AA64PFR1_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C4_5" : "=r"(smfr0)); /* ID_AA64SMFR0_EL1 */
	put_str("sme: ID_AA64PFR1_EL1.SME ");
	put_dec((int64_t)((pfr1 >> 24) & 0xf));
	put_str(", ID_AA64SMFR0_EL1 ");
	put_hex(smfr0);
	put_str("\n");
	if (((pfr1 >> 24) & 0xf) == 0 || ((pfr0 >> 32) & 0xf) == 0) { /* SME [27:24], SVE [35:32] */
		put_str("sme: not implemented\n");
		return 0;
	}
	fa64 = (smfr0 >> 63) != 0;
	team_run(VCPUS, 20);
	put_str("sme: streaming vector bytes (RDSVL) per vCPU:");
	for (int id = 0; id < VCPUS; id++) {
		put_char(' ');
		put_dec(streaming_bytes[id]);
	}
	put_str("; SVCR:");
	for (int id = 0; id < VCPUS; id++) {
		put_char(' ');
		put_dec((int64_t)svcr_seen[id]);
	}
	team_report("sme", VCPUS);
	return 0;
}
