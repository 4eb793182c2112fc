/*
 * SVE under the hypervisor (tests/qemu/run, QEMU -cpu max): the hypervisor
 * does not switch SVE state, so it keeps SVE trapped (CPTR_EL2.TZ) although
 * ID_AA64PFR0_EL1 tells the guest SVE is there. This guest believes it:
 * enables SVE at EL1 (CPACR_EL1.ZEN, FPEN) and runs RDVL, which the
 * hypervisor must answer by stopping the VM with the reason. Without SVE
 * it says so and powers off.
 */
#include "guest.h"

#define CPACR_FPEN (3ull << 20)
#define CPACR_ZEN (3ull << 16)

__attribute__((target("arch=armv8.2-a+sve"))) static uint64_t vector_bytes(void)
{
	uint64_t n;

	__asm__ volatile("rdvl %0, #1" : "=r"(n));
	return n;
}

int main(void)
{
	uint64_t pfr0, cpacr, n;

	__asm__ volatile("mrs %0, S3_0_C0_C4_0" : "=r"(pfr0)); /* ID_AA64PFR0_EL1 */
	if (((pfr0 >> 32) & 0xf) == 0) { /* SVE [35:32] */
		put_str("sve: not implemented\n");
		return 0;
	}
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr | CPACR_FPEN | CPACR_ZEN) : "memory");
	put_str("sve: implemented, RDVL next\n");
	n = vector_bytes(); /* the VM ends here */
	put_str("sve: UNEXPECTED: the hypervisor let SVE run, vector length ");
	put_dec((int64_t)n);
	put_str(" bytes\n");
	return 0;
}
