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
 * PMU. vCPU 0 starts the others (PSCI CPU_ON), all run ACTIONS actions,
 * and vCPU 0 resets the VM (PSCI SYSTEM_RESET) for the next seed — at
 * every 8th seed while the others still run, CPU_ONs included: RAM
 * survives a warm reset, so the seed count lives at PERSIST.
 *
 * Seeds: x1 at entry (the hypervisor's seed= boot argument): bits 31:0
 * the first seed, bits 63:32 how many (0: 1). Every 16th seed ends with
 * one lethal action (an access the hypervisor must refuse by stopping the
 * VM: unmapped IPA, ISV = 0 access to a device, a bad access width,
 * stage-1 walk into device memory, an unavailable system register, a
 * vCPU started at a bad entry...): the VM is stopped with a reason and the
 * runner starts the next seed in a new boot. Output: "fuzz: seed N" at
 * the start of each seed, "fuzz: lethal N: WHAT" before a lethal action,
 * "fuzz: done, N seeds from S" at the end.
 *
 * The status channel (guest.h) tells deadline.c, the well-behaved VM
 * beside it, when the fuzzer is done (or about to be stopped).
 */
#include "guest.h"

#define GICD 0x08000000ul
#define GICR 0x080a0000ul
#define GICR_FRAME 0x20000ul
#define NVCPUS 3
#define ACTIONS 300
#define PERSIST 0x43ff0000ul /* RAM the images never cover: kept across a warm reset */
#define PERSIST_MAGIC 0xf022f022f022f022ull
#define SCRATCH 0x43000000ul /* RAM for hypercall results and first touches */
#define SCRATCH_PAGES 1024
#define IVC_KEYS 4
#define IVC_KEY0 0x10 /* keys 0x10-0x13 are declared for fuzz (system.toml) */
#define PSCI_SYSTEM_RESET 0x84000009u

struct persist {
	uint64_t magic, arg, index;
	uint64_t status; /* the status channel's GPA, published once */
};

/* The secondaries' stacks, by MPIDR (secondary_entry). */
uint8_t fuzz_stacks[NVCPUS][8192] __attribute__((aligned(16)));
static volatile uint32_t finished[NVCPUS];
static volatile uint64_t seed_of_run;
static volatile uint32_t vcpu_actions[NVCPUS];

/* ------------------------------------------------------------ randomness */

static uint64_t next(uint64_t *s)
{
	/* xorshift64*: a seed gives one sequence, on any build. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return next(s) % n;
}

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

/* A random value, often one of the interesting ones. */
static uint64_t value(uint64_t *s)
{
	static const uint64_t special[] = { 0, 1, 0xff, 0xffffffff, ~0ull, 0x80000000, 0x1f,
					    0x8000000000000000ull };

	return below(s, 3) ? next(s) : special[below(s, sizeof special / sizeof special[0])];
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

static void hypercall(uint64_t *s, unsigned id)
{
	static const uint32_t fids[] = { 0x84000000, 0xc4000003, 0x84000003, 0xc4000004,
					 0x84000004, 0x84000006, 0x84000005, 0x8400000a,
					 0x80000000, 0x80000001, 0x80008000, 0x80007fff,
					 0xc2000000, 0x86000000, 0x8400000c, 0xc4000012 };
	bool smc = below(s, 4) == 0;
	uint64_t x0, key = IVC_KEY0 + below(s, IVC_KEYS);

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
		(void)id;
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

static void act(uint64_t *s, unsigned id)
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
		hypercall(s, id);
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

static void lethal(unsigned which)
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
	put_str("fuzz: lethal action survived (");
	put_hex(v);
	put_str(")\n");
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

static void run_actions(uint64_t seed, uint32_t id)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + id + 1;

	SYSREG_WRITE("vbar_el1", (uintptr_t)fuzz_vectors);
	SYSREG_WRITE("S3_0_C12_C12_5", 1); /* ICC_SRE_EL1.SRE */
	for (uint32_t i = 0; i < ACTIONS; i++) {
		act(&s, id);
		vcpu_actions[id] = i + 1;
	}
	__asm__ volatile("msr daifset, #2" : : : "memory");
	SYSREG_WRITE("cntv_ctl_el0", 0);
}

void secondary_main(uint64_t context);
void secondary_main(uint64_t context)
{
	uint32_t id = my_id();

	(void)context;
	if (id < NVCPUS) {
		run_actions(seed_of_run, id);
		finished[id] = 1;
	}
	call(false, PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* CPU_ON's entry: its own stack by MPIDR (whatever context the fuzzer passed). */
__asm__(".text\n.global secondary_entry\nsecondary_entry:\n"
	"\tmrs x1, mpidr_el1\n\tand x1, x1, #0xff\n\tcmp x1, #" "3" "\n\tb.hs 2f\n"
	"\tadd x1, x1, #1\n\tlsl x1, x1, #13\n\tldr x2, =fuzz_stacks\n\tadd sp, x2, x1\n"
	"\tb secondary_main\n2:\tmov x0, #2\n\tmovk x0, #0x8400, lsl #16\n\thvc #0\n3:\twfi\n\tb 3b\n");

static void status_done(const struct persist *p)
{
	if (p->status)
		*(volatile uint32_t *)(uintptr_t)(p->status + STATUS_DONE) = 1;
}

int main(void)
{
	struct persist *p = (struct persist *)PERSIST;
	uint64_t first, count, seed, base = 0, size = STATUS_SIZE, start;
	unsigned lethal_at;

	if (p->magic != PERSIST_MAGIC || p->arg != guest_boot_x1) {
		p->magic = PERSIST_MAGIC;
		p->arg = guest_boot_x1;
		p->index = 0;
		p->status = 0;
		if (hvc_call4(IVC_PUBLISH, STATUS_KEY_FUZZ, (uintptr_t)&base, (uintptr_t)&size, 0) == 0)
			p->status = base;
	}
	first = p->arg & 0xffffffff;
	count = p->arg >> 32 ? p->arg >> 32 : 1;
	if (p->index >= count) {
		put_str("fuzz: done, ");
		put_dec((int64_t)count);
		put_str(" seeds from ");
		put_dec((int64_t)first);
		put_str("\n");
		status_done(p);
		guest_power_off();
	}
	seed = first + p->index++;
	seed_of_run = seed;
	put_str("fuzz: seed ");
	put_dec((int64_t)seed);
	put_str("\n");
	/* Each seed starts from the same IVC state: nothing of its own published. */
	for (unsigned k = 0; k < IVC_KEYS; k++)
		hvc_call4(IVC_UNPUBLISH, IVC_KEY0 + k, 0, 0, 0);
	for (uint32_t i = 1; i < NVCPUS; i++)
		hvc_call4(PSCI_CPU_ON, i, (uintptr_t)secondary_entry, 0, 0);
	run_actions(seed, 0);
	if (seed % 8 == 3) {
		/* Reset while the others still run, CPU_ON each other included. */
		put_str("fuzz: seed ");
		put_dec((int64_t)seed);
		put_str(": reset while the other vCPUs run\n");
		hvc_call4(PSCI_SYSTEM_RESET, 0, 0, 0, 0);
	}
	/* Wait for the others (a CPU_ON of a finished one may run it again: wait for that too). */
	start = counter();
	for (uint32_t i = 1; i < NVCPUS; i++)
		while ((!finished[i] || hvc_call4(PSCI_AFFINITY_INFO, i, 0, 0, 0) != PSCI_AFF_OFF) &&
		       counter() - start < 10 * counter_freq())
			cpu_yield();
	for (uint32_t i = 1; i < NVCPUS; i++)
		if (!finished[i]) {
			put_str("fuzz: seed ");
			put_dec((int64_t)seed);
			put_str(": vCPU ");
			put_dec(i);
			put_str(" UNFINISHED after 10 s at action ");
			put_dec(vcpu_actions[i]);
			put_str("\n");
		}
	lethal_at = (unsigned)(seed % 16 == 15 ? (seed / 16) % (sizeof lethal_names / sizeof lethal_names[0]) : ~0u);
	if (lethal_at != ~0u) {
		put_str("fuzz: lethal ");
		put_dec((int64_t)seed);
		put_str(": ");
		put_str(lethal_names[lethal_at]);
		put_str("\n");
		status_done(p);
		lethal(lethal_at);
	}
	hvc_call4(PSCI_SYSTEM_RESET, 0, 0, 0, 0);
	put_str("fuzz: SYSTEM_RESET returned\n");
	return 0;
}
