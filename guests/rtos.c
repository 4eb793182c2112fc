/*
 * The demo's second guest (examples/demo/rtos.toml): linked at 0x4020_0000,
 * it reports which vCPU it booted on (the MPIDR affinity the hypervisor set
 * from phys_cpu_ids) and powers off.
 */
#include "guest.h"

int main(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	put_str("rtos: booted at 0x40200000, MPIDR affinity ");
	put_hex(mpidr & 0xff00ffffffull);
	put_str("\n");
	return 0;
}
