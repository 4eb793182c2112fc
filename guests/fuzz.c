/* SPDX-License-Identifier: MIT */
/*
 * The guest-side fuzzer of the hypervisor (make fuzz-hv, fuzz/hv-run.sh).
 *
 * From a seed, every vCPU issues a random but well-formed sequence of what
 * a guest can do: MMIO to every emulated device (vGIC distributor and
 * redistributors, its own and the other vCPUs', the PL011) at the widths
 * and with the addressing forms each register allows; trapped system
 * registers (ID registers, debug registers, ICC_SGI1R_EL1: SGI storms);
 * the untrapped GIC CPU interface (priority mask, acknowledge, EOI,
 * deactivate, EOImode, active priorities); hypercalls and SMCs with
 * random function IDs and arguments (PSCI, SMCCC, IVC publish / subscribe
 * / unpublish / unsubscribe churn with good and bad pointers); WFI, WFE,
 * SEV; exceptions taken at EL1 (SVC, BRK, UDF); virtual timer interrupt
 * storms; first touches of RAM; TLB and set/way cache maintenance; the
 * PMU. The run of seeds is guests/common/fuzz.h's (PSCI CPU_ON, a PSCI
 * SYSTEM_RESET per seed), the seed word x1 at entry (the hypervisor's
 * seed= boot argument); its lethal actions (lethal_names) are accesses the
 * hypervisor must refuse by stopping the VM: unmapped IPA, ISV = 0 access
 * to a device, a bad access width, stage-1 walk into device memory, an
 * unavailable system register, a vCPU started at a bad entry...
 */
#include "fuzz.h"

#define GICD 0x08000000ul
#define GICR 0x080a0000ul
#define GICR_FRAME 0x20000ul
#define NVCPUS FUZZ_VCPUS
#define PERSIST 0x43ff0000ul /* RAM the images never cover: kept across a warm reset */
#define SCRATCH 0x43000000ul /* RAM for hypercall results and first touches */
#define SCRATCH_PAGES 1024
#define PSCI_SYSTEM_RESET 0x84000009u

/* The secondaries' stacks, by MPIDR (secondary_entry). */
uint8_t fuzz_stacks[NVCPUS][8192] __attribute__((aligned(16)));

/* --------------------------------------------------------------- access */

#define SYSREG_READ(name) ({ uint64_t v_; __asm__ volatile("mrs %0, " name : "=r"(v_)); v_; })
#define SYSREG_WRITE(name, v) __asm__ volatile("msr " name ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")

static uint64_t read_width(uintptr_t a, unsigned width, unsigned form)
{
	uint64_t v = 0;

	switch (width) {
	case 1:
		if (form & 1)
			__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		else
			__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	case 4:
		if (form & 1)
			__asm__ volatile("ldr %w0, [%1, %2]" : "=r"(v) : "r"(a - 8), "r"(8ul) : "memory");
		else
			__asm__ volatile("ldur %w0, [%1, #-4]" : "=r"(v) : "r"(a + 4) : "memory");
		break;
	default:
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		break;
	}
	return v;
}

static void write_width(uintptr_t a, unsigned width, uint64_t v, unsigned form)
{
	switch (width) {
	case 1:
		__asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("strh %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	case 4:
		if (form & 1)
			__asm__ volatile("str %w0, [%1, %2]" : : "r"(v), "r"(a - 16), "r"(16ul) : "memory");
		else if (form & 2)
			__asm__ volatile("str wzr, [%0]" : : "r"(a) : "memory");
		else
			__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	default:
		__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
		break;
	}
}

/* A GIC register access the emulation allows: words anywhere, bytes in IPRIORITYR, IROUTER by 64 bits. */
static void gic_access(uint64_t *s, uintptr_t frame, uint64_t size, bool write)
{
	unsigned kind = (unsigned)below(s, 8), width = 4, form = (unsigned)below(s, 4);
	uint64_t off;

	if (frame == GICD && kind == 0) {
		off = 0x6000 + 8 * (32 + below(s, 64)); /* IROUTER<n> */
		width = 8;
	} else if (kind == 1) {
		off = 0x400 + below(s, 0x400); /* IPRIORITYR, by byte */
		width = 1;
		if (frame != GICD)
			off += 0x10000;
	} else if (kind < 5) {
		/* The bitmaps, priorities and configuration: where the state is. */
		off = (0x80 + below(s, 0xc80)) & ~3ull;
		if (frame != GICD)
			off += 0x10000;
	} else {
		off = below(s, size) & ~3ull;
		if (frame == GICD && off >= 0x6000 && off < 0x8000)
			width = 4; /* IROUTER halves are words too */
	}
	if (write)
		write_width(frame + off, width, value(s), form);
	else
		read_width(frame + off, width, form);
}

static void pl011_access(uint64_t *s)
{
	static const uint16_t regs[] = { 0x00, 0x04, 0x18, 0x24, 0x28, 0x2c, 0x30, 0x34,
					 0x38, 0x3c, 0x40, 0x44, 0x48, 0xfe0, 0xff0, 0x800 };
	uint64_t off = regs[below(s, sizeof regs / sizeof regs[0])];

	if (below(s, 2)) {
		read_width(UART_BASE + off, 4, (unsigned)below(s, 2));
	} else if (off == 0x00) {
		write_width(UART_BASE, 1 + (unsigned)below(s, 2), '!' + below(s, 90), 0);
	} else if (off != 0x30) { /* UARTCR: leave the console on */
		write_width(UART_BASE + off, 4, value(s), (unsigned)below(s, 4) & 1);
	}
}

/* The 56 ID registers (op0 3, op1 0, CRn 0, CRm 1-7): HCR_EL2.TID3 traps each. */
#define ID(crm, op2) case (crm - 1) * 8 + op2: return SYSREG_READ("S3_0_C0_C" #crm "_" #op2);
#define ID8(crm) ID(crm, 0) ID(crm, 1) ID(crm, 2) ID(crm, 3) ID(crm, 4) ID(crm, 5) ID(crm, 6) ID(crm, 7)
static uint64_t id_read(unsigned n)
{
	switch (n) {
		ID8(1) ID8(2) ID8(3) ID8(4) ID8(5) ID8(6) ID8(7)
	default:
		return 0;
	}
}

static void debug_access(uint64_t *s)
{
	uint64_t v = value(s) & ~1ull; /* MDSCR_EL1.SS stays off either way: RAZ/WI */

	switch (below(s, 8)) {
	case 0:
		SYSREG_READ("mdscr_el1");
		break;
	case 1:
		SYSREG_WRITE("mdscr_el1", v);
		break;
	case 2:
		SYSREG_WRITE("dbgbvr0_el1", v);
		break;
	case 3:
		SYSREG_WRITE("dbgbcr0_el1", v);
		break;
	case 4:
		SYSREG_WRITE("oslar_el1", v & 1);
		break;
	case 5:
		SYSREG_READ("oslsr_el1");
		break;
	case 6:
		SYSREG_WRITE("dbgwvr0_el1", v);
		break;
	default:
		SYSREG_READ("dbgwcr0_el1");
		break;
	}
}

/* The virtual CPU interface (not trapped): what the guest may do to its own interrupts. */
static void icc_access(uint64_t *s)
{
	uint64_t intid;

	switch (below(s, 9)) {
	case 0:
		SYSREG_WRITE("S3_0_C4_C6_0", below(s, 4) ? 0xff : value(s) & 0xff); /* ICC_PMR_EL1 */
		break;
	case 1:
		SYSREG_WRITE("S3_0_C12_C12_3", value(s) & 7); /* ICC_BPR1_EL1 */
		break;
	case 2:
		SYSREG_WRITE("S3_0_C12_C12_7", below(s, 4) != 0); /* ICC_IGRPEN1_EL1 */
		break;
	case 3:
		intid = SYSREG_READ("S3_0_C12_C12_0"); /* ICC_IAR1_EL1 */
		if (intid < 1020)
			SYSREG_WRITE("S3_0_C12_C12_1", intid); /* ICC_EOIR1_EL1 */
		break;
	case 4:
		SYSREG_WRITE("S3_0_C12_C12_1", below(s, 96)); /* EOI of anything */
		break;
	case 5:
		SYSREG_WRITE("S3_0_C12_C11_1", below(s, 96)); /* ICC_DIR_EL1 */
		break;
	case 6:
		SYSREG_WRITE("S3_0_C12_C12_4", below(s, 2) << 1); /* ICC_CTLR_EL1.EOImode */
		break;
	case 7:
		SYSREG_WRITE("S3_0_C12_C9_0", value(s)); /* ICC_AP1R0_EL1 */
		break;
	default:
		SYSREG_READ("S3_0_C12_C11_3"); /* ICC_RPR_EL1 */
		break;
	}
}

/* ICC_SGI1R_EL1 (trapped): an SGI to random targets, by list or to all others. */
static void sgi(uint64_t *s)
{
	uint64_t v = below(s, 16) << 24 | (next(s) & 0xffff);

	if (!below(s, 4))
		v |= 1ull << 40;
	if (!below(s, 8))
		v |= next(s) & 0x00ff00ff00ff0000ull; /* affinities that name nobody */
	SYSREG_WRITE("S3_0_C12_C11_5", v);
}

/* -------------------------------------------------------- hypercalls */

void secondary_entry(void);

static int64_t call(bool smc, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4)
{
	register uint64_t r0 __asm__("x0") = x0;
	register uint64_t r1 __asm__("x1") = x1;
	register uint64_t r2 __asm__("x2") = x2;
	register uint64_t r3 __asm__("x3") = x3;
	register uint64_t r4 __asm__("x4") = x4;

	if (smc)
		__asm__ volatile("smc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4) : : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4) : : "memory");
	return (int64_t)r0;
}

/* A pointer for a hypercall's result: mostly good (aligned RAM), sometimes not. */
static uint64_t pointer(uint64_t *s)
{
	switch (below(s, 8)) {
	case 0:
		return value(s);
	case 1:
		return SCRATCH + below(s, 4096) ; /* misaligned, mostly */
	case 2:
		return UART_BASE;
	default:
		return SCRATCH + 8 * below(s, SCRATCH_PAGES * 512);
	}
}

static void hypercall(uint64_t *s)
{
	static const uint32_t fids[] = { 0x84000000, 0xc4000003, 0x84000003, 0xc4000004,
					 0x84000004, 0x84000006, 0x84000005, 0x8400000a,
					 0x80000000, 0x80000001, 0x80008000, 0x80007fff,
					 0xc2000000, 0x86000000, 0x8400000c, 0xc4000012 };
	bool smc = below(s, 4) == 0;
	uint64_t x0, key = FUZZ_IVC_KEY0 + below(s, FUZZ_IVC_KEYS);

	switch (below(s, 6)) {
	case 0: /* IVC publish: a declared key mostly, any size */
		*(volatile uint64_t *)(SCRATCH + 8) = below(s, 2) ? 0x1000 * (1 + below(s, 4)) : value(s);
		call(smc, IVC_PUBLISH, below(s, 8) ? key : value(s),
		     below(s, 4) ? SCRATCH : pointer(s), below(s, 4) ? SCRATCH + 8 : pointer(s), 0);
		return;
	case 1: /* subscribe: nothing is granted to fuzz but its own keys (EINVAL) */
		call(smc, IVC_SUBSCRIBE, below(s, 2) ? FUZZ_VM_ID : below(s, 40),
		     below(s, 4) ? key : value(s), pointer(s), pointer(s));
		return;
	case 2:
		call(smc, IVC_UNPUBLISH, below(s, 8) ? key : value(s), 0, 0, 0);
		return;
	case 3:
		call(smc, IVC_UNSUBSCRIBE, below(s, 40), key, 0, 0);
		return;
	case 4: /* PSCI / SMCCC */
		x0 = fids[below(s, sizeof fids / sizeof fids[0])];
		if (below(s, 4) == 0)
			x0 |= next(s) << 32; /* bits the SMCCC says to ignore */
		if ((uint32_t)x0 == 0xc4000003 || (uint32_t)x0 == 0x84000003) {
			/* CPU_ON of itself, a peer (maybe done and off: it runs again) or nobody */
			uint64_t target = below(s, 4) ? below(s, NVCPUS) : value(s);

			if (fuzz_quiesce) /* vCPU 0 waits for the others: an AFFINITY_INFO instead */
				x0 = PSCI_AFFINITY_INFO;
			call(smc, x0, target, (uintptr_t)secondary_entry,
			     (uint64_t)target << 32 | (next(s) & 0xffffffff), 0);
			return;
		}
		call(smc, x0, value(s), value(s), value(s), value(s));
		return;
	default: /* any function ID but the ones that end the VM or this vCPU */
		x0 = next(s);
		if ((uint32_t)x0 == PSCI_SYSTEM_OFF || (uint32_t)x0 == PSCI_SYSTEM_RESET ||
		    (uint32_t)x0 == PSCI_CPU_OFF || (uint32_t)x0 == 0xc4000003 ||
		    (uint32_t)x0 == 0x84000003 || (uint32_t)x0 == 0x84000009)
			x0 = 0x84000000;
		if (x0 >= IVC_PUBLISH && x0 <= IVC_UNSUBSCRIBE)
			x0 = 7;
		call(smc, x0, value(s), value(s), value(s), value(s));
		return;
	}
}

/* ---------------------------------------------------------- the rest */

static void timer(uint64_t *s)
{
	SYSREG_WRITE("cntv_tval_el0", below(s, 2000));
	SYSREG_WRITE("cntv_ctl_el0", below(s, 4) ? 1 : value(s) & 3);
	if (below(s, 2)) {
		/* Take what comes for a moment: the handler acknowledges and completes it. */
		__asm__ volatile("msr daifclr, #2\n\tnop\n\tnop\n\tnop\n\tnop\n\tmsr daifset, #2" : : : "memory");
	}
}

static void maintenance(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0:
		__asm__ volatile("tlbi vmalle1is\n\tdsb ish\n\tisb" : : : "memory");
		break;
	case 1:
		__asm__ volatile("dc cisw, %0\n\tdsb sy" : : "r"(next(s) & 0xffffffffull) : "memory");
		break;
	case 2:
		__asm__ volatile("dc isw, %0\n\tdsb sy" : : "r"(next(s) & 0xffffffffull) : "memory");
		break;
	case 3:
		__asm__ volatile("ic ialluis\n\tdsb ish\n\tisb" : : : "memory");
		break;
	case 4:
		__asm__ volatile("tlbi vae1is, %0\n\tdsb ish" : : "r"(next(s)) : "memory");
		break;
	default:
		__asm__ volatile("dc civac, %0\n\tdsb sy" : : "r"(SCRATCH + below(s, 0x1000)) : "memory");
		break;
	}
}

static void pmu(uint64_t *s)
{
	switch (below(s, 4)) {
	case 0:
		SYSREG_WRITE("pmcr_el0", value(s) & 0x7f);
		break;
	case 1:
		SYSREG_READ("pmccntr_el0");
		break;
	case 2:
		SYSREG_WRITE("pmcntenset_el0", value(s));
		break;
	default:
		SYSREG_WRITE("pmcntenclr_el0", value(s));
		break;
	}
}

static void exception(uint64_t *s)
{
	switch (below(s, 3)) {
	case 0:
		__asm__ volatile("svc #0x17" : : : "memory");
		break;
	case 1:
		__asm__ volatile("brk #0x2a" : : : "memory");
		break;
	default:
		__asm__ volatile("udf #0x5" : : : "memory");
		break;
	}
}

static void act(uint64_t *s)
{
	switch (below(s, 17)) {
	case 0:
	case 1:
		gic_access(s, GICD, 0x10000, below(s, 2));
		break;
	case 2:
	case 3:
		gic_access(s, GICR + GICR_FRAME * below(s, NVCPUS), GICR_FRAME, below(s, 2));
		break;
	case 4:
		pl011_access(s);
		break;
	case 5:
		id_read((unsigned)below(s, 56));
		break;
	case 6:
		debug_access(s);
		break;
	case 7:
		icc_access(s);
		break;
	case 8:
		sgi(s);
		break;
	case 9:
	case 10:
		hypercall(s);
		break;
	case 11:
		switch (below(s, 4)) {
		case 0:
			__asm__ volatile("wfi" : : : "memory");
			break;
		case 1:
			__asm__ volatile("wfe" : : : "memory");
			break;
		case 2:
			__asm__ volatile("sev" : : : "memory");
			break;
		default:
			__asm__ volatile("yield" : : : "memory");
			break;
		}
		break;
	case 12:
		exception(s);
		break;
	case 13:
		timer(s);
		break;
	case 14:
		/* First touch of a RAM page (or a later one). */
		*(volatile uint64_t *)(SCRATCH + 0x1000 * below(s, SCRATCH_PAGES) + 8 * below(s, 512)) = next(s);
		break;
	case 15:
		maintenance(s);
		break;
	default:
		pmu(s);
		break;
	}
}

/* ------------------------------------------------------------ lethal */

static const char *const lethal_names[] = {
	"read of an IPA with nothing mapped",
	"2-byte access to a GIC distributor word register",
	"load pair from the GIC distributor (ISV = 0)",
	"store with writeback to the PL011 (ISV = 0)",
	"MSR to ACTLR_EL1 (IMPLEMENTATION DEFINED, trapped)",
	"instruction fetch from the PL011",
	"load-exclusive from the GIC distributor",
	"stage-1 table walk in device memory",
	"access beyond the redistributors of its vCPUs",
	"a vCPU started at an entry with nothing mapped",
	"read of an IPA beyond the VM's IPA size (2^40)",
	"write to an IVC channel mapped read-only",
};

static uint64_t lethal(unsigned which)
{
	uint64_t v;

	switch (which) {
	case 0:
		v = *(volatile uint32_t *)0x10000000ul;
		break;
	case 1:
		v = *(volatile uint16_t *)(GICD + 0x100);
		break;
	case 2:
		/* Not the PL011: its reads hit a read-only shadow page and do not trap (lib/vm console_read_shadow). */
		__asm__ volatile("ldp %0, xzr, [%1]" : "=r"(v) : "r"(GICD) : "memory");
		break;
	case 3:
		v = UART_BASE;
		__asm__ volatile("str wzr, [%0, #4]!" : "+r"(v) : : "memory");
		break;
	case 4:
		SYSREG_WRITE("actlr_el1", 0);
		v = 0;
		break;
	case 5:
		((void (*)(void))UART_BASE)();
		v = 0;
		break;
	case 6:
		__asm__ volatile("ldxr %w0, [%1]" : "=r"(v) : "r"(GICD) : "memory");
		break;
	case 7:
		/* TTBR0 in the distributor, MMU on: the next fetch walks it. */
		SYSREG_WRITE("tcr_el1", 25ull | 1ull << 23); /* T0SZ 25, EPD1 */
		SYSREG_WRITE("ttbr0_el1", GICD);
		SYSREG_WRITE("sctlr_el1", SYSREG_READ("sctlr_el1") | 1);
		v = 0;
		break;
	case 8:
		v = *(volatile uint32_t *)(GICR + GICR_FRAME * NVCPUS);
		break;
	case 9:
		v = (uint64_t)call(false, PSCI_CPU_ON, 1, 0x100, 0, 0);
		for (;;)
			__asm__ volatile("wfi");
	case 10:
		v = *(volatile uint32_t *)(1ul << 40);
		break;
	default: {
		uint64_t base = 0, size = 0;

		v = 1;
		for (unsigned k = 0; k < 1000 && v; k++)
			v = (uint64_t)hvc_call4(IVC_SUBSCRIBE, DEADLINE_VM_ID, BEACON_KEY,
						(uintptr_t)&base, (uintptr_t)&size);
		if (v == 0)
			*(volatile uint32_t *)(uintptr_t)(base + 64) = 1;
		break;
	}
	}
	return v;
}

/* ------------------------------------------------------- exceptions */

void fuzz_sync(void);
void fuzz_irq(void);

/* EL1 synchronous exceptions: step over the instruction (SVC's return address is already past it). */
void fuzz_sync(void)
{
	uint64_t esr = SYSREG_READ("esr_el1");

	if (esr >> 26 != 0x15)
		SYSREG_WRITE("elr_el1", SYSREG_READ("elr_el1") + 4);
}

/* IRQs: acknowledge, stop the timer if it was the timer, complete (and deactivate under EOImode 1). */
void fuzz_irq(void)
{
	uint64_t intid = SYSREG_READ("S3_0_C12_C12_0");

	if (intid >= 1020)
		return;
	if (intid == 27)
		SYSREG_WRITE("cntv_ctl_el0", 0);
	SYSREG_WRITE("S3_0_C12_C12_1", intid);
	if (SYSREG_READ("S3_0_C12_C12_4") & 2)
		SYSREG_WRITE("S3_0_C12_C11_1", intid);
}

/*
 * The vector table: current EL with SP_ELx, synchronous (0x200) and IRQ
 * (0x280), saving the caller-saved registers; every other entry spins.
 */
__asm__(".macro FUZZ_ENTRY handler\n"
	"\tsub sp, sp, #160\n"
	"\tstp x0, x1, [sp, #0]\n\tstp x2, x3, [sp, #16]\n\tstp x4, x5, [sp, #32]\n"
	"\tstp x6, x7, [sp, #48]\n\tstp x8, x9, [sp, #64]\n\tstp x10, x11, [sp, #80]\n"
	"\tstp x12, x13, [sp, #96]\n\tstp x14, x15, [sp, #112]\n\tstp x16, x17, [sp, #128]\n"
	"\tstp x18, x30, [sp, #144]\n"
	"\tbl \\handler\n"
	"\tb fuzz_return\n"
	".endm\n"
	".section .text\n"
	".balign 2048\n"
	"fuzz_vectors:\n"
	".rept 4\n.balign 128\n1: b 1b\n.endr\n"
	".balign 128\nFUZZ_ENTRY fuzz_sync\n"
	".balign 128\nFUZZ_ENTRY fuzz_irq\n"
	".rept 10\n.balign 128\n1: b 1b\n.endr\n"
	"fuzz_return:\n"
	"\tldp x0, x1, [sp, #0]\n\tldp x2, x3, [sp, #16]\n\tldp x4, x5, [sp, #32]\n"
	"\tldp x6, x7, [sp, #48]\n\tldp x8, x9, [sp, #64]\n\tldp x10, x11, [sp, #80]\n"
	"\tldp x12, x13, [sp, #96]\n\tldp x14, x15, [sp, #112]\n\tldp x16, x17, [sp, #128]\n"
	"\tldp x18, x30, [sp, #144]\n"
	"\tadd sp, sp, #160\n\teret\n");
extern char fuzz_vectors[];

/* ------------------------------------------------------------ vCPUs */

static uint32_t my_id(void)
{
	return (uint32_t)(guest_mpidr() & 0xff);
}

static void begin(void)
{
	SYSREG_WRITE("vbar_el1", (uintptr_t)fuzz_vectors);
	SYSREG_WRITE("S3_0_C12_C12_5", 1); /* ICC_SRE_EL1.SRE */
}

static void end(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
	SYSREG_WRITE("cntv_ctl_el0", 0);
}

static const struct fuzz_arch arch = {
	.persist = PERSIST,
	.secondary_entry = secondary_entry,
	.begin = begin,
	.act = act,
	.end = end,
	.lethal_names = lethal_names,
	.lethal_count = sizeof lethal_names / sizeof lethal_names[0],
	.lethal = lethal,
};

void secondary_main(uint64_t context);
void secondary_main(uint64_t context)
{
	(void)context;
	fuzz_secondary(&arch, my_id());
}

/* CPU_ON's entry: its own stack by MPIDR (whatever context the fuzzer passed). */
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n"
	"\tmrs x1, mpidr_el1\n\tand x1, x1, #0xff\n\tcmp x1, #" "3" "\n\tb.hs 2f\n"
	"\tadd x1, x1, #1\n\tlsl x1, x1, #13\n\tldr x2, =fuzz_stacks\n\tadd sp, x2, x1\n"
	"\tb secondary_main\n2:\tmov x0, #2\n\tmovk x0, #0x8400, lsl #16\n\thvc #0\n3:\twfi\n\tb 3b\n");

int main(void)
{
	fuzz_main(&arch, guest_boot_x1);
	return 0;
}
