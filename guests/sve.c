/* SPDX-License-Identifier: MIT */
/*
 * SVE under the hypervisor (tests/qemu/run, QEMU -cpu max): the hypervisor
 * gives SVE to guests and switches its state per vCPU. Three vCPUs; on 2
 * physical CPUs, vCPUs 0 and 2 share cpu0 and take turns (each WFI gives
 * the CPU up), vCPU 1 has cpu1. Each enables SVE at EL1 (CPACR_EL1.ZEN,
 * FPEN), picks its vector length with ZCR_EL1 (vCPUs 0 and 1 the largest,
 * vCPU 2 256 bits, so ZCR_EL1 must be switched too), fills Z0-Z31, P0-P15
 * and FFR with a pattern of its own at that length and, across many
 * switches, checks that RDVL, ZCR_EL1 and every register bit survived.
 * vCPU 0 reports the vector lengths and that the ID registers hide SME
 * (HCR_EL2.TID3: the hypervisor keeps it trapped). Without SVE it says so
 * and powers off. Only vCPU 0 prints (the vCPUs share one console line).
 *
 * The guest is built with -mgeneral-regs-only: the compiler never touches
 * the FP/SIMD/SVE registers, so between the assembly below they hold what
 * this vCPU put there, unless the hypervisor loses it.
 */
#include "guest.h"

#define VCPUS 3 /* MPIDR 0, 1, 2 */
#define ROUNDS 24

static uint8_t dump[VCPUS][SVE_STATE_MAX] __attribute__((aligned(16)));
static volatile uint32_t vector_bytes[VCPUS];

static uint64_t zcr_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, " ZCR_EL1 : "=r"(v));
	return v;
}

/* The byte at offset i of vCPU id's registers; FFR (the last vl / 8 bytes) monotonic. */
static uint8_t pattern(uint64_t id, uint32_t vl, uint32_t i)
{
	uint32_t ffr = 32 * vl + 16 * (vl / 8), ffr_true = 5 + 9 * (uint32_t)id; /* bits */

	if (i >= ffr) {
		uint32_t bit = (i - ffr) * 8; /* of this byte's lowest */

		if (bit >= ffr_true)
			return 0;
		return bit + 8 <= ffr_true ? 0xff : (uint8_t)((1u << (ffr_true - bit)) - 1);
	}
	return (uint8_t)(i * 13 + (i >> 8) * 7 + id * 0x55 + 1);
}

/* This vCPU's checks; returns how many failed. */
uint32_t team_member(uint64_t id)
{
	uint64_t cpacr, len = id == 2 ? 1 : 0xf;
	uint8_t *buf = dump[id];
	uint32_t vl, size, failed = 0;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | CPACR_FPEN | CPACR_ZEN) : "memory");
	__asm__ volatile("msr " ZCR_EL1 ", %0\n\tisb" : : "r"(len) : "memory");
	vl = sve_rdvl();
	vector_bytes[id] = vl;
	if (vl < 16 || vl > SVE_VL_MAX || vl % 16)
		return 1;
	size = 32 * vl + 17 * (vl / 8);
	for (uint32_t i = 0; i < size; i++)
		buf[i] = pattern(id, vl, i);
	sve_load(buf, 1);
	for (int r = 0; r < ROUNDS; r++) {
		cpu_yield(); /* another vCPU may run here, with its own registers and length */
		failed += sve_rdvl() != vl;
		failed += (zcr_read() & 0xf) != len;
		for (uint32_t i = 0; i < size; i++)
			buf[i] = 0;
		sve_store(buf, 1);
		for (uint32_t i = 0; i < size; i++)
			if (buf[i] != pattern(id, vl, i)) {
				failed++;
				break;
			}
	}
	return failed;
}

int main(void)
{
	uint64_t pfr0, pfr1, smfr0, reserved;

	__asm__ volatile("mrs %0, S3_0_C0_C4_0" : "=r"(pfr0));  /* ID_AA64PFR0_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C4_1" : "=r"(pfr1));  /* ID_AA64PFR1_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C4_5" : "=r"(smfr0)); /* ID_AA64SMFR0_EL1 */
	__asm__ volatile("mrs %0, S3_0_C0_C3_3" : "=r"(reserved)); /* unallocated: RAZ */
	put_str("sve: ID_AA64PFR1_EL1.SME ");
	put_dec((int64_t)((pfr1 >> 24) & 0xf));
	put_str(", ID_AA64SMFR0_EL1 ");
	put_hex(smfr0);
	put_str(", S3_0_C0_C3_3 ");
	put_hex(reserved);
	put_str("\n");
	if (((pfr0 >> 32) & 0xf) == 0) { /* SVE [35:32] */
		put_str("sve: not implemented\n");
		return 0;
	}
	team_run(VCPUS, 10);
	put_str("sve: vector bytes (RDVL) per vCPU:");
	for (int id = 0; id < VCPUS; id++) {
		put_char(' ');
		put_dec(vector_bytes[id]);
	}
	team_report("sve", VCPUS);
	return 0;
}
