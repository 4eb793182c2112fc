/*
 * SME under the hypervisor (tests/qemu/run, QEMU -cpu max only): the
 * hypervisor keeps SME trapped (CPTR_EL2.TSM; its state is not switched)
 * and its ID registers say there is none. This guest ignores them: it
 * enables SME at EL1 (CPACR_EL1.SMEN) and runs SMSTART, which the
 * hypervisor must answer by stopping the VM with the reason. On a CPU
 * without SME, SMSTART is UNDEFINED at EL1: run it only on one with SME.
 */
#include "guest.h"

#define CPACR_SMEN (3ull << 24)

int main(void)
{
	uint64_t pfr1, cpacr;

	__asm__ volatile("mrs %0, S3_0_C0_C4_1" : "=r"(pfr1)); /* ID_AA64PFR1_EL1 */
	put_str("sme: ID_AA64PFR1_EL1.SME ");
	put_dec((int64_t)((pfr1 >> 24) & 0xf));
	put_str(", SMSTART next\n");
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | CPACR_SMEN) : "memory");
	__asm__ volatile(".inst 0xd503477f" : : : "memory"); /* SMSTART: the VM ends here */
	put_str("sme: UNEXPECTED: the hypervisor let SME run\n");
	return 0;
}
