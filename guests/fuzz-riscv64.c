/* SPDX-License-Identifier: MIT */
/*
 * The guest-side fuzzer of the riscv64 hypervisor (make fuzz-hv
 * ARCH=riscv64, fuzz/hv-run.sh), guests/fuzz.c's counterpart.
 *
 * From a seed, every vCPU issues a random but well-formed sequence of what
 * a riscv64 guest can do: MMIO to its emulated devices (the 16550 at every
 * offset and width, the vPLIC's priorities, pending bits, enables,
 * thresholds, claims and completions of its own and the other vCPUs'
 * contexts); SBI calls with random function IDs and arguments to every
 * extension the hypervisor answers (BASE, TIME, IPI, RFENCE, HSM, SRST
 * with types it must refuse, DBCN with good and bad pointers, the legacy
 * calls, PMU) and to ones it does not; IVC publish / subscribe /
 * unpublish / unsubscribe churn; the timer (SBI TIME) and the console's
 * interrupt taken; WFI; exceptions the guest handles
 * itself (illegal instructions, breakpoints); fences; the counters; first
 * touches of RAM. The run of seeds is guests/common/fuzz.h's (HSM
 * hart_start, an SBI SRST reboot per seed), the seed word a2 at entry
 * (the hypervisor's seed= boot argument); its lethal actions are
 * lethal_names. Only riscv64 runs it: elsewhere the guest says so.
 */
#if defined(__riscv)

#include "fuzz.h"

#define UART GUEST_CONSOLE_BASE
#define VPLIC 0x0c000000ul
#define VPLIC_SIZE 0x600000ul
#define VPLIC_SOURCES 97 /* 1..96 */
#define VPLIC_ENABLE 0x2000ul
#define VPLIC_CONTEXT 0x200000ul
#define CONSOLE_IRQ 10u
#define NVCPUS FUZZ_VCPUS
#define PERSIST (GUEST_RAM_BASE + 0x3ff0000ul) /* RAM the image never covers */
#define SCRATCH (GUEST_RAM_BASE + 0x3000000ul) /* for call results and first touches */
#define SCRATCH_PAGES 1024
#define STACK 8192

#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_PMU 0x504d55
#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SIE_SEIE (1ul << 9)
#define SSTATUS_SIE (1ul << 1)

uint64_t fuzz_stacks[NVCPUS][STACK / 8] __attribute__((aligned(16)));

/* --------------------------------------------------------------- access */

/* A pointer for a call's argument or result: mostly good (aligned RAM), sometimes not. */
static uint64_t pointer(uint64_t *s)
{
	switch (below(s, 8)) {
	case 0:
		return value(s);
	case 1:
		return SCRATCH + below(s, 4096); /* misaligned, mostly */
	case 2:
		return UART;
	case 3:
		return GUEST_RAM_END - below(s, 16); /* straddling the end of RAM */
	default:
		return SCRATCH + 8 * below(s, SCRATCH_PAGES * 512);
	}
}

/* --------------------------------------------------------------- access */

/* The compressed loads and stores take x8-x15 only: a4 and a5 here. */
static uint64_t c_lw(uintptr_t a)
{
	register uint64_t r __asm__("a4");
	register uintptr_t p __asm__("a5") = a - 4;

	__asm__ volatile("c.lw %0, 4(%1)" : "=r"(r) : "r"(p) : "memory");
	return r;
}

static uint64_t c_ld(uintptr_t a)
{
	register uint64_t r __asm__("a4");
	register uintptr_t p __asm__("a5") = a - 8;

	__asm__ volatile("c.ld %0, 8(%1)" : "=r"(r) : "r"(p) : "memory");
	return r;
}

static void c_sw(uintptr_t a, uint64_t v)
{
	register uint64_t r __asm__("a4") = v;
	register uintptr_t p __asm__("a5") = a - 4;

	__asm__ volatile("c.sw %0, 4(%1)" : : "r"(r), "r"(p) : "memory");
}

static void c_sd(uintptr_t a, uint64_t v)
{
	register uint64_t r __asm__("a4") = v;
	register uintptr_t p __asm__("a5") = a;

	__asm__ volatile("c.sd %0, 0(%1)" : : "r"(r), "r"(p) : "memory");
}

/* Loads and stores of each width, in their compressed forms too where one exists. */
static uint64_t read_width(uintptr_t a, unsigned width, unsigned form)
{
	uint64_t v = 0;

	switch (width) {
	case 1:
		if (form & 1)
			__asm__ volatile("lb %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		else
			__asm__ volatile("lbu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	case 2:
		if (form & 1)
			__asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		else
			__asm__ volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	case 4:
		if (form & 1)
			__asm__ volatile("lwu %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		else if (form & 2)
			v = c_lw(a);
		else
			__asm__ volatile("lw %0, -8(%1)" : "=r"(v) : "r"(a + 8) : "memory");
		break;
	default:
		if (form & 1)
			v = c_ld(a);
		else
			__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
		break;
	}
	return v;
}

static void write_width(uintptr_t a, unsigned width, uint64_t v, unsigned form)
{
	switch (width) {
	case 1:
		__asm__ volatile("sb %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("sh %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	case 4:
		if (form & 1)
			c_sw(a, v);
		else if (form & 2)
			__asm__ volatile("sw zero, 0(%0)" : : "r"(a) : "memory");
		else
			__asm__ volatile("sw %0, 16(%1)" : : "r"(v), "r"(a - 16) : "memory");
		break;
	default:
		if (form & 1)
			c_sd(a, v);
		else
			__asm__ volatile("sd %0, 0(%1)" : : "r"(v), "r"(a) : "memory");
		break;
	}
}

/* The 16550: its eight registers at every width (the model takes any), and the rest of its window. */
static void uart_access(uint64_t *s)
{
	unsigned width = 1u << below(s, 4), form = (unsigned)below(s, 4);
	uint64_t off = below(s, 4) ? below(s, 8) : below(s, 0x1000);

	off &= ~(uint64_t)(width - 1);
	if (below(s, 2)) {
		read_width(UART + off, width, form);
	} else if (off == 0 && width == 1) {
		write_width(UART, 1, '!' + below(s, 90), form);
	} else {
		write_width(UART + off, width, value(s), form);
	}
}

/* The vPLIC: words only (anything else is lethal), where its state is or anywhere in its window. */
static void vplic_access(uint64_t *s)
{
	uint32_t ctx = (uint32_t)below(s, 2 * NVCPUS + 2); /* two beyond its contexts */
	uint64_t off;

	switch (below(s, 6)) {
	case 0:
		off = 4 * below(s, VPLIC_SOURCES + 2);
		break;
	case 1:
		off = 0x1000 + 4 * below(s, 4);
		break;
	case 2:
		off = VPLIC_ENABLE + 0x80 * ctx + 4 * below(s, 4);
		break;
	case 3:
	case 4:
		off = VPLIC_CONTEXT + 0x1000 * ctx + 4 * below(s, 2);
		break;
	default:
		off = below(s, VPLIC_SIZE) & ~3ull;
		break;
	}
	if (below(s, 2))
		read_width(VPLIC + off, 4, (unsigned)below(s, 4));
	else
		write_width(VPLIC + off, 4, below(s, 2) ? below(s, 8) : value(s), (unsigned)below(s, 4));
}

/* ------------------------------------------------------------ SBI calls */

void secondary_entry(void);

static struct sbiret call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
			  uint64_t a3)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r3 __asm__("a3") = a3;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (int64_t)r0, (int64_t)r1 };
}

/* A hart mask and its base: mostly the VM's own harts, sometimes any, or "all" (base -1). */
static void harts(uint64_t *s, uint64_t *mask, uint64_t *base)
{
	*mask = below(s, 4) ? below(s, 1u << NVCPUS) : value(s);
	*base = below(s, 4) ? below(s, 2) : below(s, 2) ? ~0ull : value(s);
}

static void sbi(uint64_t *s)
{
	uint64_t key = FUZZ_IVC_KEY0 + below(s, FUZZ_IVC_KEYS), mask, base, fid;

	switch (below(s, 14)) {
	case 0:
		call(SBI_EXT_BASE, below(s, 8), value(s), 0, 0, 0);
		break;
	case 1: /* a deadline soon, now, long ago or never */
		call(SBI_EXT_TIME, below(s, 4) ? 0 : below(s, 3),
		     below(s, 2) ? counter() + below(s, 20000) : value(s), 0, 0, 0);
		break;
	case 2:
		harts(s, &mask, &base);
		call(SBI_EXT_IPI, below(s, 4) ? 0 : below(s, 3), mask, base, 0, 0);
		break;
	case 3:
		harts(s, &mask, &base);
		call(SBI_EXT_RFENCE, below(s, 8), mask, base, value(s), value(s));
		break;
	case 4: /* HSM: start a peer (maybe finished and stopped: it runs again), itself, nobody */
		fid = below(s, 5);
		if (fid == SBI_HSM_HART_STOP || (fid == SBI_HSM_HART_START && fuzz_quiesce))
			fid = SBI_HSM_HART_GET_STATUS;
		base = below(s, 4) ? below(s, NVCPUS) : value(s);
		call(SBI_EXT_HSM, fid, base, fid == 0 ? (uintptr_t)secondary_entry : value(s), value(s),
		     0);
		break;
	case 5: /* SRST with a reserved or vendor type it must refuse (0-2 would end the seed) */
		call(SBI_EXT_SRST, below(s, 2), 3 + (below(s, 2) ? below(s, 4) : below(s, 0xfffffffcull)),
		     value(s), 0, 0);
		break;
	case 6: /* DBCN: writes and reads of its memory, good and bad */
		fid = below(s, 3);
		if (fid == SBI_DBCN_WRITE_BYTE)
			call(SBI_EXT_DBCN, fid, '!' + below(s, 90), 0, 0, 0);
		else
			call(SBI_EXT_DBCN, fid, below(s, 2) ? below(s, 64) : value(s), pointer(s),
			     below(s, 4) ? 0 : value(s), 0);
		break;
	case 7: /* the legacy calls; send_ipi and the fences read a hart mask from its memory */
		*(volatile uint64_t *)SCRATCH = below(s, 1u << NVCPUS);
		fid = below(s, 8); /* 8, shutdown, left out */
		call(fid, 0, fid == 1 ? '!' + below(s, 90) : fid >= 4 ? pointer(s) : value(s),
		     value(s), value(s), 0);
		break;
	case 8: /* IVC publish: a declared key mostly, any size */
		*(volatile uint64_t *)(SCRATCH + 8) = below(s, 2) ? 0x1000 * (1 + below(s, 4)) : value(s);
		ivc_call(IVC_PUBLISH, below(s, 8) ? key : value(s), below(s, 4) ? SCRATCH : pointer(s),
			 below(s, 4) ? SCRATCH + 8 : pointer(s), 0);
		break;
	case 9: /* subscribe: nothing is granted to fuzz but its own keys */
		ivc_call(IVC_SUBSCRIBE, below(s, 2) ? FUZZ_VM_ID : below(s, 40), below(s, 4) ? key : value(s),
			 pointer(s), pointer(s));
		break;
	case 10:
		ivc_call(below(s, 2) ? IVC_UNPUBLISH : IVC_UNSUBSCRIBE, below(s, 8) ? key : value(s),
			 below(s, 2) ? key : below(s, 40), 0, 0);
		break;
	case 11:
		call(SBI_EXT_PMU, below(s, 10), value(s), value(s), value(s), value(s));
		break;
	case 12: /* the IVC extension with any function */
		call(VMCFG_SBI_EXT_HVC, next(s) & 0xff, value(s), value(s), value(s), value(s));
		break;
	default: /* any extension but the legacy shutdown and SRST */
		base = next(s) & (below(s, 2) ? 0xff : ~0ull);
		if (base == SBI_LEGACY_SHUTDOWN || base == SBI_EXT_SRST || base == SBI_EXT_HSM)
			base = 0x0a000000;
		call(base, value(s), value(s), value(s), value(s), value(s));
		break;
	}
}

/* ---------------------------------------------------------- the rest */

static void timer_off(void)
{
	call(SBI_EXT_TIME, 0, ~0ull, 0, 0, 0);
}

/* The timer or the console's interrupt, taken for a moment (the handler quiets them). */
static void interrupts(uint64_t *s)
{
	uint64_t when = counter() + below(s, 200);
	uint32_t ctx = 2 * (uint32_t)guest_cpu_id() + 1;

	if (below(s, 2)) {
		call(SBI_EXT_TIME, 0, when, 0, 0, 0);
	} else {
		/* The 16550's THRI: its line high while enabled, source 10 on this vCPU's context. */
		*(volatile uint32_t *)(VPLIC + 4 * CONSOLE_IRQ) = 1 + below(s, 7);
		*(volatile uint32_t *)(VPLIC + VPLIC_ENABLE + 0x80 * ctx) = 1u << CONSOLE_IRQ;
		*(volatile uint32_t *)(VPLIC + VPLIC_CONTEXT + 0x1000 * ctx) = 0;
		*(volatile uint8_t *)(UART + 1) = 0x02;
	}
	__asm__ volatile("csrs sie, %0\n\tcsrs sstatus, %1\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
			 "csrc sstatus, %1"
			 : : "r"(SIE_STIE | SIE_SEIE | SIE_SSIE), "r"(SSTATUS_SIE) : "memory");
}

static void exception(uint64_t *s)
{
	switch (below(s, 4)) {
	case 0:
		__asm__ volatile("ebreak" : : : "memory");
		break;
	case 1:
		__asm__ volatile("c.ebreak" : : : "memory");
		break;
	case 2:
		__asm__ volatile("unimp" : : : "memory");
		break;
	default: /* an M-mode CSR: illegal from S-mode */
		__asm__ volatile("csrr t0, mstatus" : : : "t0", "memory");
		break;
	}
}

static void csrs(uint64_t *s)
{
	uint64_t v;

	switch (below(s, 6)) {
	case 0:
		__asm__ volatile("rdtime %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("rdcycle %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("rdinstret %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("csrw sscratch, %0" : : "r"(value(s)));
		break;
	case 4: /* sip: only SSIP is the guest's to write */
		__asm__ volatile("csrw sip, %0" : : "r"(value(s) & SIE_SSIE));
		break;
	default:
		__asm__ volatile("csrr %0, sip" : "=r"(v));
		break;
	}
}

static void fences(uint64_t *s)
{
	switch (below(s, 4)) {
	case 0:
		__asm__ volatile("sfence.vma" : : : "memory");
		break;
	case 1:
		__asm__ volatile("sfence.vma %0, zero" : : "r"(next(s)) : "memory");
		break;
	case 2:
		__asm__ volatile("fence.i" : : : "memory");
		break;
	default:
		__asm__ volatile("fence rw, rw" : : : "memory");
		break;
	}
}

static void act(uint64_t *s)
{
	switch (below(s, 14)) {
	case 0:
	case 1:
		uart_access(s);
		break;
	case 2:
	case 3:
		vplic_access(s);
		break;
	case 4:
	case 5:
	case 6:
		sbi(s);
		break;
	case 7:
		interrupts(s);
		break;
	case 8:
		exception(s);
		break;
	case 9:
		csrs(s);
		break;
	case 10:
		fences(s);
		break;
	case 11:
		__asm__ volatile("wfi" : : : "memory");
		break;
	default: /* first touch of a RAM page (or a later one) */
		*(volatile uint64_t *)(SCRATCH + 0x1000 * below(s, SCRATCH_PAGES) + 8 * below(s, 512)) = next(s);
		break;
	}
}

/* ------------------------------------------------------------ lethal */

static const char *const lethal_names[] = {
	"read of a GPA with nothing mapped",
	"2-byte access to a vPLIC register",
	"instruction fetch from the 16550",
	"AMO on the 16550",
	"LR from the vPLIC",
	"HFENCE.GVMA (virtual-instruction trap)",
	"read of hstatus (virtual-instruction trap)",
	"VS-stage table walk in device memory",
	"read of a GPA beyond the VM's GPA size (2^39)",
	"a vCPU started at an entry with nothing mapped",
	"8-byte load straddling the end of the 16550's window",
	"write to an IVC channel mapped read-only",
};

static uint64_t lethal(unsigned which)
{
	uint64_t v = 0;

	switch (which) {
	case 0:
		v = *(volatile uint32_t *)GUEST_UNMAPPED;
		break;
	case 1:
		v = *(volatile uint16_t *)(VPLIC + 4 * CONSOLE_IRQ);
		break;
	case 2:
		((void (*)(void))UART)();
		break;
	case 3:
		__asm__ volatile("amoadd.w %0, %1, (%2)" : "=r"(v) : "r"(1ul), "r"(UART) : "memory");
		break;
	case 4:
		__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(VPLIC) : "memory");
		break;
	case 5:
		__asm__ volatile(".insn r 0x73, 0, 0x31, zero, zero, zero" : : : "memory"); /* hfence.gvma */
		break;
	case 6:
		__asm__ volatile("csrr %0, 0x600" : "=r"(v)); /* hstatus */
		break;
	case 7:
		/* Sv39 with its root table in the vPLIC: the next fetch walks it. */
		__asm__ volatile("csrw satp, %0\n\tsfence.vma" : : "r"(8ull << 60 | VPLIC >> 12) : "memory");
		break;
	case 8:
		v = *(volatile uint32_t *)(1ul << 40);
		break;
	case 9:
		v = (uint64_t)call(SBI_EXT_HSM, SBI_HSM_HART_START, 1, 0x100, 0, 0).error;
		for (;;)
			__asm__ volatile("wfi");
	case 10:
		__asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(UART + 0xffc) : "memory");
		break;
	default: {
		uint64_t base = 0, size = 0;

		v = 1;
		for (unsigned k = 0; k < 1000 && v; k++)
			v = (uint64_t)ivc_call(IVC_SUBSCRIBE, DEADLINE_VM_ID, BEACON_KEY, (uintptr_t)&base,
					       (uintptr_t)&size);
		if (v == 0)
			*(volatile uint32_t *)(uintptr_t)(base + 64) = 1;
		break;
	}
	}
	return v;
}

/* ------------------------------------------------------------- traps */


/*
 * The traps the guest takes itself: interrupts quieted (the timer pushed
 * away, the console's interrupt claimed, THRI off, completed), exceptions
 * stepped over (2 or 4 bytes, read at sepc: paging is off).
 */
static void fuzz_trap(void)
{
	uint64_t cause, epc;

	__asm__ volatile("csrr %0, scause\n\tcsrr %1, sepc" : "=r"(cause), "=r"(epc));
	if (cause >> 63) {
		uint32_t ctx = 2 * (uint32_t)guest_cpu_id() + 1, id;

		switch (cause & 0xff) {
		case 5:
			timer_off();
			break;
		case 9:
			*(volatile uint8_t *)(UART + 1) = 0;
			id = *(volatile uint32_t *)(VPLIC + VPLIC_CONTEXT + 0x1000 * ctx + 4);
			if (id)
				*(volatile uint32_t *)(VPLIC + VPLIC_CONTEXT + 0x1000 * ctx + 4) = id;
			/* Whatever else stays pending must not come back at once. */
			*(volatile uint32_t *)(VPLIC + VPLIC_CONTEXT + 0x1000 * ctx) = 7;
			break;
		default:
			__asm__ volatile("csrc sip, %0" : : "r"(SIE_SSIE));
			break;
		}
		return;
	}
	epc += (*(volatile uint16_t *)epc & 3) == 3 ? 4 : 2;
	__asm__ volatile("csrw sepc, %0" : : "r"(epc));
}


/* ------------------------------------------------------------ vCPUs */

static void begin(void)
{
	guest_trap_handler = fuzz_trap;
	__asm__ volatile("csrw stvec, %0" : : "r"(guest_trap_return_entry));
}

static void end(void)
{
	__asm__ volatile("csrc sstatus, %0\n\tcsrc sie, %1"
			 : : "r"(SSTATUS_SIE), "r"(SIE_STIE | SIE_SEIE | SIE_SSIE) : "memory");
	timer_off();
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

void secondary_main(uint64_t hartid);
void secondary_main(uint64_t hartid)
{
	fuzz_secondary(&arch, (uint32_t)hartid);
}

/* HART_START's entry: its own stack by hart id (whatever opaque value the fuzzer passed). */
__asm__(".text\n.balign 4\n.global secondary_entry\nsecondary_entry:\n"
	"\tmv tp, a0\n\tli t0, 3\n\tbgeu a0, t0, 2f\n"
	"\taddi t0, a0, 1\n\tslli t0, t0, 13\n\tla t1, fuzz_stacks\n\tadd sp, t1, t0\n"
	"\ttail secondary_main\n"
	"2:\tli a7, 0x48534d\n\tli a6, 1\n\tecall\n3:\twfi\n\tj 3b\n");

int main(void)
{
	fuzz_main(&arch, guest_boot_seed);
	return 0;
}

#else

#include "guest.h"

int main(void)
{
	put_str("fuzz-riscv64: riscv64 only\n");
	return 0;
}

#endif
