/* SPDX-License-Identifier: MIT */
/*
 * The virtual GICv3 (Arm IHI 0069, "GICv3 and GICv4 Architecture
 * Specification"; register offsets and fields from its chapter 12).
 *
 * Distributor and redistributors are emulated for the registers Linux's
 * irq-gic-v3 driver uses; everything else reads as zero and ignores writes
 * (reserved and IMPLEMENTATION DEFINED registers are RES0). The guest sees
 * one Security state (GICD_CTLR.DS = 1), affinity routing always on (ARE
 * RAO/WI) and no LPIs (GICD_TYPER.LPIS = 0, no ITS).
 *
 * Delivery is the hardware's virtual CPU interface: before every guest
 * entry the vCPU's pending and active interrupts go into the list
 * registers (active ones first, so that the guest's EOI finds them, then
 * pending by priority); after every exit the list registers are read back.
 * When more are pending than there are list registers, ICH_HCR_EL2.NPIE
 * raises the maintenance interrupt (PPI 25) once no list register holds a
 * pending interrupt, and the next entry refills them: that is the queue.
 *
 * The virtual timer is a hardware interrupt: its output reaches the
 * physical GIC as PPI 27, taken at EL2 (HCR_EL2.IMO), which runs its CPU
 * interface with EOImode = 1 (gic.c). EL2 only drops its priority and
 * leaves it active, and virtual PPI 27 goes into a list register with
 * HW = 1 and pINTID = 27: the guest's EOI (or DIR) of the virtual
 * interrupt deactivates the physical one too, with no exit (IHI 0069, the
 * ICH_LR<n>_EL2 HW and pINTID fields). While it is active the physical
 * PPI cannot be signalled again, so the timer's level, still high until
 * the guest re-arms it, raises nothing more; nothing in the guest's timer
 * registers is touched, and a guest that re-arms by writing only CVAL or
 * TVAL gets its next interrupt. A HW list register is never pending and
 * active at once: there is one instance, and the physical GIC has it.
 * Read back pending, it stays pending and stays HW (the queue above);
 * read back invalid, the guest has deactivated both. The physical active
 * state belongs to the vCPU (vcpu.vtimer_active): vcpu_put saves and
 * clears it at this CPU's redistributor, vcpu_load sets it again, so a
 * vCPU that is not running holds no other vCPU's timer off. A virtual
 * PPI 27 the guest made pending itself (GICR_ISPENDR0) while the physical
 * one is not active for it goes in as an ordinary (HW = 0) interrupt.
 *
 * Passed-through SPIs (interrupt_mode "passthrough") are hardware
 * interrupts the same way: each belongs to one VM (spi_owner), is routed
 * to the CPU of that VM's vCPU 0 and, taken at EL2, left active; its
 * virtual SPI goes into a list register with HW = 1 and pINTID = its
 * INTID, so the guest's EOI deactivates it at the distributor. While
 * active it cannot fire again, in whatever VM runs on that CPU meanwhile.
 * A guest that clears the virtual one (ICPENDR, ICACTIVER) or resets its
 * VM has the physical one deactivated by the hypervisor (GICD_ICACTIVER).
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/vgic.h"
#include "core/console.h"
#include "core/libc.h"
#include "core/vm.h"

/* Distributor (GICD_*) offsets. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
#define GICD_SIZE 0x10000

/* GICD_CTLR with DS = 1: EnableGrp0 [0], EnableGrp1 [1], ARE [4], DS [6]. */
#define CTLR_ENABLE_G0 (1u << 0)
#define CTLR_ENABLE_G1 (1u << 1)
#define CTLR_ARE (1u << 4)
#define CTLR_DS (1u << 6)

/* GICD_TYPER: ITLinesNumber [4:0] = INTIDs / 32 - 1; IDbits [23:19] = INTID bits - 1. */
#define TYPER_VALUE ((uint32_t)((32 + VGIC_NR_SPIS) / 32 - 1) | 9u << 19)
/* GICD_IIDR / GICR_IIDR: Arm (JEP106 0x43b) as implementer. */
#define IIDR_VALUE 0x0300043bu
/* GICD_PIDR2 / GICR_PIDR2: ArchRev [7:4] = 3 (GICv3); Linux checks it. */
#define PIDR2_VALUE 0x3bu

/* Redistributor: RD_base, then SGI_base 64 KiB above; 128 KiB per vCPU. */
#define GICR_FRAME 0x20000
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI 0x10000
/* GICR_TYPER: Processor_Number [23:8], Last [4], Affinity_Value [63:32]. */
#define GICR_TYPER_LAST (1ull << 4)
/* GICR_WAKER: ProcessorSleep [1]; ChildrenAsleep [2] follows it at once. */
#define WAKER_SLEEP (1u << 1)
#define WAKER_ASLEEP (1u << 2)

/* GICD_IROUTER: Interrupt_Routing_Mode [31] (1 = any PE), affinity as in MPIDR. */
#define IROUTER_IRM (1ull << 31)

/*
 * ICH_HCR_EL2: En [0]; LRENPIE [2] maintenance interrupt while EOIcount is
 * non-zero; NPIE [3] maintenance interrupt while no LR is pending;
 * EOIcount [31:27] EOIs that found no list register.
 */
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_LRENPIE (1ull << 2)
#define ICH_HCR_NPIE (1ull << 3)
#define ICH_HCR_EOICOUNT(v) ((uint32_t)((v) >> 27) & 0x1f)
/* ICH_LR<n>_EL2: vINTID [31:0], Priority [55:48], Group [60], State [63:62]. */
#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)
#define LR_GROUP1 (1ull << 60)
#define LR_PRIORITY_SHIFT 48
/* HW [61]: a hardware interrupt; pINTID [44:32]: the physical INTID deactivated with it. */
#define LR_HW (1ull << 61)
#define LR_PINTID_SHIFT 32
/* ICH_VTR_EL2.ListRegs [4:0]: list registers minus one. */
#define ICH_VTR_LISTREGS(v) (((v) & 0x1f) + 1)

/* ICC_SGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
#define SGI_TARGETS(v) ((v) & 0xffff)
#define SGI_INTID(v) (((v) >> 24) & 0xf)
#define SGI_IRM (1ull << 40)
#define SGI_RS(v) (((v) >> 44) & 0xf)
/* The affinity of SGI1R as an MPIDR with Aff0 = 0. */
#define SGI_AFF(v) (((v) >> 16 & 0xff) << 8 | ((v) >> 32 & 0xff) << 16 | ((v) >> 48 & 0xffull) << 32)

/* CNTV_CTL_EL0: ENABLE [0], IMASK [1], ISTATUS [2]; its output: ENABLE && ISTATUS && !IMASK. */
#define CNTV_CTL_ENABLE (1ull << 0)
#define CNTV_CTL_IMASK (1ull << 1)
#define CNTV_CTL_ISTATUS (1ull << 2)

/* ------------------------------------------------------------------ state */

static bool is_pending(const struct virq *q)
{
	return q->latch || (!q->edge && q->line);
}

/* Makes the CPU that runs vCPU cpu of g's VM re-enter it, so it sees a new interrupt. */
static void kick(struct vgic *g, uint32_t cpu)
{
	uint32_t pcpu = g->vm->vcpus[cpu].pcpu;

	if (pcpu != this_cpu()->index)
		gic_kick(cpus[pcpu].mpidr);
}

/* The vCPU whose MPIDR affinity is aff, or VGIC_NO_TARGET. */
static uint8_t vcpu_by_affinity(const struct vgic *g, uint64_t aff)
{
	for (uint32_t i = 0; i < g->vm->vcpu_count; i++)
		if ((g->vm->vcpus[i].vmpidr & MPIDR_AFF_MASK) == (aff & MPIDR_AFF_MASK))
			return (uint8_t)i;
	return VGIC_NO_TARGET;
}

static void route(struct vgic *g, struct virq *q, uint64_t irouter)
{
	q->irouter = irouter & (MPIDR_AFF_MASK | IROUTER_IRM);
	/* 1-of-N routing may pick any vCPU: the first is as good as any. */
	q->target = irouter & IROUTER_IRM ? 0 : vcpu_by_affinity(g, irouter);
}

/* ------------------------------------------------- bitmap registers */

enum field { F_GROUP, F_ENABLE, F_PENDING, F_ACTIVE };

static bool get(const struct virq *q, enum field f)
{
	switch (f) {
	case F_GROUP:
		return q->group1;
	case F_ENABLE:
		return q->enabled;
	case F_PENDING:
		return is_pending(q);
	default:
		return q->active;
	}
}

static void put(struct virq *q, enum field f, bool on)
{
	switch (f) {
	case F_GROUP:
		q->group1 = on;
		break;
	case F_ENABLE:
		q->enabled = on;
		break;
	case F_PENDING:
		/* ICPENDR of a level interrupt clears only the latch; the line stays (IHI 0069 12.9.x). */
		q->latch = on;
		break;
	default:
		q->active = on;
		break;
	}
}

/*
 * The 1-bit-per-INTID registers (IGROUPR, IS/ICENABLER, IS/ICPENDR,
 * IS/ICACTIVER): reg is which of them, at 0x80 steps from IGROUPR, and
 * irqs the 32 interrupts the word covers. Set (ISx) and clear (ICx)
 * registers act on the 1 bits written; IGROUPR is written as a whole.
 */
static uint32_t bits_read(const struct virq *irqs, uint64_t reg)
{
	enum field f = reg == 0 ? F_GROUP : (enum field)((reg + 1) / 2);
	uint32_t v = 0;

	for (unsigned i = 0; i < 32; i++)
		v |= (uint32_t)get(&irqs[i], f) << i;
	return v;
}

static void bits_write(struct virq *irqs, uint64_t reg, uint32_t v)
{
	enum field f = reg == 0 ? F_GROUP : (enum field)((reg + 1) / 2);

	for (unsigned i = 0; i < 32; i++)
		if (reg == 0)
			put(&irqs[i], f, v >> i & 1);
		else if (v >> i & 1)
			put(&irqs[i], f, reg % 2 == 1); /* odd: ISx (set), even: ICx (clear) */
}

/* IPRIORITYR: a byte per INTID, byte- or word-accessible. */
static uint64_t prio_read(const struct virq *irqs, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)irqs[i].priority << (8 * i);
	return v;
}

static void prio_write(struct virq *irqs, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++)
		irqs[i].priority = (uint8_t)(v >> (8 * i));
}

/* ICFGR: 2 bits per INTID, Int_config [1] = edge-triggered. */
static uint32_t cfg_read(const struct virq *irqs)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 16; i++)
		v |= (uint32_t)irqs[i].edge << (2 * i + 1);
	return v;
}

static void cfg_write(struct virq *irqs, uint32_t v)
{
	for (unsigned i = 0; i < 16; i++)
		irqs[i].edge = v >> (2 * i + 1) & 1;
}

/*
 * The registers both frames share: the bitmaps (0x080-0x3ff), IPRIORITYR
 * (0x400-0x7ff) and ICFGR (0xc00-0xcff) at offset off, for the 32-INTID
 * group first (its INTID base). *value on read. Returns false when off is
 * none of them; VMCFG_EFAULT through *err for a width the register does
 * not allow.
 */
static bool common_access(struct virq *first, uint32_t base, uint32_t count, uint64_t off,
			  unsigned width, bool write, uint64_t *value, int *err)
{
	struct virq *q;
	enum { BITS, PRIORITY, CONFIG } kind;
	uint32_t intid, span;

	*err = 0;
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
		kind = BITS;
		intid = (uint32_t)((off & 0x7f) * 8);
		span = 32;
	} else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		kind = PRIORITY;
		intid = (uint32_t)(off - GICD_IPRIORITYR);
		span = width;
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		kind = CONFIG;
		intid = (uint32_t)((off - GICD_ICFGR) * 4);
		span = 16;
	} else {
		return false;
	}
	/* Word access everywhere; IPRIORITYR also by byte (IHI 0069 12.9.18). */
	if (!(width == 4 || (kind == PRIORITY && width == 1)) || off % width) {
		*err = VMCFG_EFAULT;
		return true;
	}
	if (intid < base || intid + span > base + count) {
		/* INTIDs this frame does not have: RAZ/WI. */
		if (!write)
			*value = 0;
		return true;
	}
	q = &first[intid - base];
	if (kind == BITS && write)
		bits_write(q, (off - GICD_IGROUPR) / 0x80, (uint32_t)*value);
	else if (kind == BITS)
		*value = bits_read(q, (off - GICD_IGROUPR) / 0x80);
	else if (kind == PRIORITY && write)
		prio_write(q, width, *value);
	else if (kind == PRIORITY)
		*value = prio_read(q, width);
	else if (!write)
		*value = cfg_read(q);
	else if (intid != 0) /* SGIs are always edge-triggered: ICFGR0 is read-only */
		cfg_write(q, (uint32_t)*value);
	return true;
}

/* --------------------------------------------------------- distributor */

static int gicd_access(struct vgic *g, uint64_t off, unsigned width, bool write, uint64_t *value)
{
	int err = 0;

	if (off == GICD_CTLR && width == 4) {
		if (write)
			g->ctlr = (uint32_t)*value & (CTLR_ENABLE_G0 | CTLR_ENABLE_G1);
		else
			*value = g->ctlr | CTLR_ARE | CTLR_DS; /* RWP [31] = 0: writes take effect at once */
	} else if ((off == GICD_TYPER || off == GICD_IIDR || off == GICD_PIDR2) && width == 4) {
		/* Read-only identification. */
		if (!write)
			*value = off == GICD_TYPER ? TYPER_VALUE : off == GICD_IIDR ? IIDR_VALUE
										 : PIDR2_VALUE;
	} else if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * (32 + VGIC_NR_SPIS)) {
		/* IROUTER<n>: 64-bit, or 32-bit halves (IHI 0069 12.9.22). */
		struct virq *q = &g->spis[(off - GICD_IROUTER) / 8 - 32];
		unsigned shift = (off & 4) * 8;
		uint64_t mask = width == 8 ? ~0ull : 0xffffffffull << shift;

		if ((width != 8 && width != 4) || off % width)
			return VMCFG_EFAULT;
		if (write)
			route(g, q, (q->irouter & ~mask) | (*value << shift & mask));
		else
			*value = (q->irouter & mask) >> shift;
	} else if (common_access(g->spis, 32, VGIC_NR_SPIS, off, width, write, value, &err)) {
		/* INTIDs 0-31 are the redistributors' with ARE = 1: their GICD words RAZ/WI. */
	} else if (!write) {
		*value = 0;
	}
	/* An SPI made pending or enabled may target a vCPU running elsewhere. */
	if (write && !err)
		for (uint32_t i = 0; i < g->vm->vcpu_count; i++)
			kick(g, i);
	return err;
}

/* The distributor's and redistributors' power-on state. */
static void reset_state(struct vgic *g)
{
	g->ctlr = 0;
	/* A physical SPI left active for the guest would never fire again. */
	for (uint32_t i = 0; i < VGIC_NR_SPIS; i++)
		if (g->spis[i].hw_spi)
			gic_spi_deactivate(32 + i);
	memset(g->spis, 0, sizeof g->spis);
	memset(g->cpu, 0, sizeof g->cpu);
	for (uint32_t i = 0; i < VGIC_NR_SPIS; i++)
		g->spis[i].target = VGIC_NO_TARGET;
	/* SGIs are edge-triggered; the redistributors start asleep (GICR_WAKER reset). */
	for (uint32_t c = 0; c < VGIC_MAX_VCPUS; c++) {
		g->cpu[c].asleep = true;
		for (uint32_t i = 0; i < 16; i++)
			g->cpu[c].irqs[i].edge = true;
		g->cpu[c].irqs[VGIC_INTID_VTIMER].hw = true;
	}
	g->gen++; /* no vCPU may skip its next flush: what was in its list registers is gone */
}

/* vmcfg_vm_reset (PSCI SYSTEM_RESET): no vCPU of the VM runs, so no list register holds its state. */
static void gicd_reset(void *dev)
{
	struct vgic *g = dev;

	spin_lock(&g->lock);
	reset_state(g);
	spin_unlock(&g->lock);
}

static int gicd_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct vgic *g = dev;
	int err;

	spin_lock(&g->lock);
	err = gicd_access(g, off, width, false, value);
	spin_unlock(&g->lock);
	return err;
}

static int gicd_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct vgic *g = dev;
	int err;

	spin_lock(&g->lock);
	err = gicd_access(g, off, width, true, &value);
	g->gen++; /* enables, priorities, pending state, routing or GICD_CTLR may have changed */
	spin_unlock(&g->lock);
	return err;
}

static const struct vmcfg_vm_device_ops gicd_ops = { .read = gicd_read,
						.write = gicd_write,
						.reset = gicd_reset };

/* ------------------------------------------------------ redistributors */

static int gicr_access(struct vgic *g, uint64_t off, unsigned width, bool write, uint64_t *value)
{
	uint32_t cpu = (uint32_t)(off / GICR_FRAME);
	struct vgic_cpu *c = &g->cpu[cpu];
	const struct vcpu *v = &g->vm->vcpus[cpu];
	int err = 0;

	off %= GICR_FRAME;
	if (off == GICR_TYPER || (off == GICR_TYPER + 4 && width == 4)) {
		uint64_t aff = v->vmpidr & MPIDR_AFF_MASK;
		uint64_t typer = ((aff & 0xffffff) | (aff >> 32) << 24) << 32 | (uint64_t)cpu << 8 |
				 (cpu + 1 == g->vm->vcpu_count ? GICR_TYPER_LAST : 0);

		if (write || (width != 8 && width != 4))
			return write ? 0 : VMCFG_EFAULT; /* read-only */
		*value = width == 8 ? typer : (uint32_t)(typer >> ((off & 4) * 8));
	} else if (off == GICR_WAKER && width == 4) {
		if (write)
			c->asleep = *value & WAKER_SLEEP;
		else
			*value = c->asleep ? WAKER_SLEEP | WAKER_ASLEEP : 0;
	} else if ((off == GICR_IIDR || off == GICR_PIDR2) && width == 4) {
		if (!write)
			*value = off == GICR_IIDR ? IIDR_VALUE : PIDR2_VALUE;
	} else if (off >= GICR_SGI &&
		   common_access(c->irqs, 0, 32, off - GICR_SGI, width, write, value, &err)) {
		/* SGI_base: IGROUPR0, IS/ICENABLER0, IS/ICPENDR0, IS/ICACTIVER0, IPRIORITYR0-7, ICFGR0/1. */
	} else if (!write) {
		*value = 0; /* GICR_CTLR (no LPIs, RWP 0) and the rest: RAZ/WI */
	}
	if (write && !err)
		kick(g, cpu);
	return err;
}

static int gicr_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct vgic *g = dev;
	int err;

	spin_lock(&g->lock);
	err = gicr_access(g, off, width, false, value);
	spin_unlock(&g->lock);
	return err;
}

static int gicr_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct vgic *g = dev;
	int err;

	spin_lock(&g->lock);
	err = gicr_access(g, off, width, true, &value);
	g->gen++;
	spin_unlock(&g->lock);
	return err;
}

static const struct vmcfg_vm_device_ops gicr_ops = { .read = gicr_read, .write = gicr_write };

int vgic_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	struct hv_vm *hv = ud;
	struct vgic *g = &hv->vgic;
	int err;

	/* GIC pass-through frames: refused, the hypervisor keeps the GIC (E0229). */
	if (vmcfg_emu_type_is_gppt(dev->emu_type))
		return VMCFG_ENOSYS;
	/* AxVisor types this hypervisor does not emulate start as inert windows (W0233). */
	if (dev->emu_type != VMCFG_EMU_INTERRUPT_CONTROLLER)
		return vmcfg_vm_inert_device(vm, dev);
	if (g->on || dev->length < GICD_SIZE || vm->vcpu_count > VGIC_MAX_VCPUS)
		return VMCFG_EINVAL;
	err = vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa, GICD_SIZE, "GICD", &gicd_ops, g);
	if (err)
		return err;
	err = vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, VGIC_GICR_BASE,
			      (uint64_t)GICR_FRAME * vm->vcpu_count, "GICR", &gicr_ops, g);
	if (err) {
		vmcfg_vm_bus_unregister(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa);
		return err;
	}
	g->on = true;
	g->vm = hv;
	reset_state(g);
	return 0;
}

/* ------------------------------------------------------- list registers */

static uint64_t lr_read(unsigned n)
{
	switch (n) {
#define LR(i)     \
	case i:   \
		return sysreg_read(ich_lr##i##_el2);
	LR(0) LR(1) LR(2) LR(3) LR(4) LR(5) LR(6) LR(7)
	LR(8) LR(9) LR(10) LR(11) LR(12) LR(13) LR(14) LR(15)
#undef LR
	default:
		return 0;
	}
}

static void lr_write(unsigned n, uint64_t v)
{
	switch (n) {
#define LR(i)                                \
	case i:                              \
		sysreg_write(ich_lr##i##_el2, v); \
		break;
	LR(0) LR(1) LR(2) LR(3) LR(4) LR(5) LR(6) LR(7)
	LR(8) LR(9) LR(10) LR(11) LR(12) LR(13) LR(14) LR(15)
#undef LR
	default:
		break;
	}
}

static unsigned lr_count(void)
{
	unsigned n = ICH_VTR_LISTREGS(sysreg_read(ich_vtr_el2));

	return n < VGIC_MAX_LRS ? n : VGIC_MAX_LRS;
}

/*
 * Whose list registers each physical CPU holds: the last vgic_flush there
 * that wrote them. vgic_sync reads them back but leaves them as they are,
 * so a vCPU switched out may leave valid ones (pending, active, HW) behind.
 */
static const struct vgic_cpu *lr_owner[HV_MAX_CPUS];

/* Whether q goes to its vCPU now: active, or pending, enabled and its group enabled. */
static bool deliverable(const struct vgic *g, const struct virq *q)
{
	bool group_on = g->ctlr & (q->group1 ? CTLR_ENABLE_G1 : CTLR_ENABLE_G0);

	return q->active || (is_pending(q) && q->enabled && group_on);
}

/* Rank for the list registers: active first (the guest must find them to EOI), then priority. */
static unsigned rank(const struct virq *q)
{
	return q->active ? 0 : 1u + q->priority;
}

void vgic_flush(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;
	struct vgic_cpu *c = &g->cpu[v->id];
	struct virq *cand[32 + VGIC_NR_SPIS];
	uint32_t cand_intid[32 + VGIC_NR_SPIS], n = 0, lrs, waiting = 0;
	uint64_t hcr = ICH_HCR_EN, lr;
	bool hw, lr_pending = false;

	if (!g->on)
		return;
	spin_lock(&g->lock);
	if (c->idle && c->flushed_gen == g->gen && lr_owner[this_cpu()->index] == c) {
		/*
		 * Nothing changed since a flush that found nothing to deliver, and
		 * no other vCPU's flush has written the list registers since: they
		 * are still all invalid (the hardware changes only valid ones, IHI
		 * 0069 4.9), so skip the scan of every INTID and the LR writes.
		 * This is the common case of an MMIO exit.
		 */
		spin_unlock(&g->lock);
		sysreg_write(ich_hcr_el2, hcr);
		return;
	}
	/*
	 * The physical timer PPI is active for a virtual one the guest no
	 * longer has (it cleared it through GICR_ICPENDR0 or ICACTIVER0, its
	 * own or another vCPU's): deactivate it, or the timer stays silent.
	 */
	if (v->vtimer_active && !is_pending(&c->irqs[VGIC_INTID_VTIMER]) &&
	    !c->irqs[VGIC_INTID_VTIMER].active) {
		gic_ppi_set_active(GIC_INTID_VTIMER, false);
		v->vtimer_active = false;
	}
	lrs = lr_count();
	for (uint32_t intid = 0; intid < 32 + VGIC_NR_SPIS; intid++) {
		struct virq *q = intid < 32 ? &c->irqs[intid] : &g->spis[intid - 32];

		/* The same for a passed-through SPI (the guest cleared it through GICD_IC*R). */
		if (q->hw_spi && !is_pending(q) && !q->active) {
			gic_spi_deactivate(intid);
			q->hw_spi = false;
		}

		if ((intid < 32 || q->target == v->id) && deliverable(g, q)) {
			cand[n] = q;
			cand_intid[n++] = intid;
		}
	}
	for (uint32_t k = 0; k < n; k++)
		waiting += !cand[k]->active;
	c->lr_used = 0;
	while (n && c->lr_used < lrs) {
		uint32_t best = n;
		struct virq *q;
		/*
		 * The last list register goes to a pending interrupt while one
		 * waits: with every register holding an active one the guest
		 * could take nothing (its active states, set by GICR_ISACTIVER0
		 * say, need not be interrupts it is handling).
		 */
		bool pending_only = waiting && c->lr_used + 1 == lrs;

		for (uint32_t k = 0; k < n; k++)
			if (!(pending_only && cand[k]->active) &&
			    (best == n || rank(cand[k]) < rank(cand[best])))
				best = k;
		q = cand[best];
		waiting -= !q->active;
		lr = (q->group1 ? LR_GROUP1 : 0) | (uint64_t)q->priority << LR_PRIORITY_SHIFT |
		     cand_intid[best];
		/* The virtual timer while its physical PPI is active for v: one instance, active or pending. */
		hw = (q->hw && v->vtimer_active) || q->hw_spi;
		if (hw)
			lr |= LR_HW |
			      (uint64_t)(q->hw_spi ? cand_intid[best] : GIC_INTID_VTIMER)
				      << LR_PINTID_SHIFT |
			      (q->active ? LR_ACTIVE : LR_PENDING);
		else
			lr |= (q->active ? LR_ACTIVE : 0) |
			      (is_pending(q) && q->enabled ? LR_PENDING : 0);
		lr_write(c->lr_used, lr);
		/* Pending alone: NPIE counts no "pending and active" one (IHI 0069, ICH_MISR_EL2.NP). */
		lr_pending |= (lr & (LR_PENDING | LR_ACTIVE)) == LR_PENDING;
		/*
		 * A pending interrupt handed to a list register is the register's
		 * until read back (a HW one written active keeps a pending state
		 * it may have for the next entry).
		 */
		c->lr_latched[c->lr_used] = q->latch && (lr & LR_PENDING);
		if (q->enabled && !(hw && q->active))
			q->latch = false;
		c->lr_irq[c->lr_used++] = q;
		cand[best] = cand[--n];
		cand_intid[best] = cand_intid[n];
	}
	/*
	 * More than fit: come back when the pending ones drain. Only if a list
	 * register holds one in the pending state alone: NPIE fires while none
	 * is, so with only active or pending-and-active ones in them (the
	 * guest's to acknowledge or deactivate, maybe with its interrupts
	 * masked) it would fire at every entry and the vCPU would never run
	 * again. Those left out wait for a register the guest frees, or the
	 * next exit.
	 */
	if (n && lr_pending)
		hcr |= ICH_HCR_NPIE;
	/*
	 * An active one left out: its EOI will find no list register and only
	 * count in EOIcount; have that exit (vgic_sync completes the EOI).
	 */
	for (uint32_t k = 0; k < n; k++)
		if (cand[k]->active)
			hcr |= ICH_HCR_LRENPIE;
	for (uint32_t k = c->lr_used; k < lrs; k++)
		lr_write(k, 0);
	c->idle = c->lr_used == 0;
	c->flushed_gen = g->gen;
	lr_owner[this_cpu()->index] = c;
	spin_unlock(&g->lock);
	sysreg_write(ich_hcr_el2, hcr);
}

/* Whether q is in one of the list registers the last flush for c wrote. */
static bool in_lrs(const struct vgic_cpu *c, const struct virq *q)
{
	for (uint32_t k = 0; k < c->lr_used && k < VGIC_MAX_LRS; k++)
		if (c->lr_irq[k] == q)
			return true;
	return false;
}

/*
 * count EOIs found no list register (ICH_HCR_EL2.EOIcount): each was for
 * an active interrupt the flush left out. With EOImode 0 a guest EOIs the
 * interrupt of its running priority, the highest-priority one it has
 * active (IHI 0069, "Priority drop"): that one, among those left out (the
 * lowest INTID on a tie, which only active states set by ISACTIVER make
 * possible), is deactivated here. A HW one's physical INTID is then
 * deactivated by the next flush. A DIR (EOImode 1) of one left out counts
 * the same and is completed the same way, by priority: an approximation.
 */
static void eoi_left_out(struct vgic *g, struct vcpu *v, uint32_t count)
{
	struct vgic_cpu *c = &g->cpu[v->id];

	while (count--) {
		struct virq *best = NULL;

		for (uint32_t intid = 0; intid < 32 + VGIC_NR_SPIS; intid++) {
			struct virq *q = intid < 32 ? &c->irqs[intid] : &g->spis[intid - 32];

			if (q->active && (intid < 32 || q->target == v->id) && !in_lrs(c, q) &&
			    (!best || q->priority < best->priority))
				best = q;
		}
		if (!best)
			return;
		best->active = false;
	}
}

void vgic_sync(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;
	struct vgic_cpu *c = &g->cpu[v->id];
	uint32_t eoicount;

	if (!g->on)
		return;
	eoicount = ICH_HCR_EOICOUNT(sysreg_read(ich_hcr_el2));
	/* The virtual CPU interface off (EOIcount cleared): no maintenance interrupt while EL2 runs. */
	sysreg_write(ich_hcr_el2, 0);
	spin_lock(&g->lock);
	for (uint32_t k = 0; k < c->lr_used && k < VGIC_MAX_LRS; k++) {
		uint64_t lr = lr_read(k);
		struct virq *q = c->lr_irq[k];

		q->active = lr & LR_ACTIVE;
		/*
		 * Not acknowledged yet: an edge stays pending, so does a hardware
		 * one (its physical PPI stays active: it cannot come again), and
		 * so does a level one whose latch the register took (set through
		 * ISPENDR: only an acknowledge or ICPENDR clears it); otherwise a
		 * level one follows its line.
		 */
		if ((lr & LR_PENDING) && (q->edge || (lr & LR_HW) || c->lr_latched[k]))
			q->latch = true;
		/* A HW one the guest deactivated has deactivated the physical PPI or SPI with it. */
		if ((lr & LR_HW) && !(lr & (LR_PENDING | LR_ACTIVE))) {
			if (q->hw_spi)
				q->hw_spi = false;
			else
				v->vtimer_active = false;
		}
	}
	if (eoicount)
		eoi_left_out(g, v, eoicount);
	if (c->lr_used || eoicount)
		g->gen++; /* active and pending states came back from the list registers */
	c->lr_used = 0;
	spin_unlock(&g->lock);
}

/* ---------------------------------------------------------- injection */

void vgic_vtimer_fired(struct vcpu *v)
{
	struct vgic *g = &v->vm->vgic;
	uint64_t ctl = sysreg_read(cntv_ctl_el0);

	/*
	 * Its level has dropped since the GIC signalled it (the timer of the
	 * vCPU before was switched off just then): nothing to deliver.
	 */
	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) !=
	    (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS)) {
		gic_deactivate(GIC_INTID_VTIMER);
		return;
	}
	/*
	 * Left active (see the top of this file). Without an emulated GIC
	 * nothing will deactivate it while v runs: its timer then stays
	 * quiet rather than exiting over and over (such a guest can only
	 * poll ISTATUS).
	 */
	v->vtimer_active = true;
	if (!g->on)
		return;
	spin_lock(&g->lock);
	g->cpu[v->id].irqs[VGIC_INTID_VTIMER].latch = true;
	g->gen++;
	spin_unlock(&g->lock);
}

void vgic_ppi_line(struct vcpu *v, uint32_t intid, bool level)
{
	struct vgic *g = &v->vm->vgic;
	struct virq *q = &g->cpu[v->id].irqs[intid];

	if (!g->on)
		return;
	spin_lock(&g->lock);
	if (q->line != level) {
		if (level && q->edge) /* configured edge-triggered (ICFGR): the rise latches */
			q->latch = true;
		q->line = level;
		g->gen++;
	}
	spin_unlock(&g->lock);
}

void vgic_sgi(struct vcpu *v, uint64_t value)
{
	struct vgic *g = &v->vm->vgic;
	uint32_t intid = (uint32_t)SGI_INTID(value);

	if (!g->on)
		return;
	spin_lock(&g->lock);
	for (uint32_t i = 0; i < g->vm->vcpu_count; i++) {
		uint64_t mpidr = g->vm->vcpus[i].vmpidr;
		uint64_t aff0 = mpidr & 0xff;
		bool hit;

		if (value & SGI_IRM) /* every PE but the sender */
			hit = i != v->id;
		else
			hit = (mpidr & MPIDR_AFF_MASK & ~0xffull) == SGI_AFF(value) &&
			      aff0 / 16 == SGI_RS(value) && (SGI_TARGETS(value) >> (aff0 % 16) & 1);
		if (hit) {
			g->cpu[i].irqs[intid].latch = true;
			g->gen++;
			kick(g, i);
		}
	}
	spin_unlock(&g->lock);
}

/* ------------------------------------------------ passed-through SPIs */

/* Which VM each host SPI (INTID 32 + n) belongs to; under spi_lock. */
static struct hv_vm *spi_owner[VGIC_NR_SPIS];
static struct spinlock spi_lock;

int vgic_claim_spis(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;
	int err = 0;

	if (vm->irq_mode != VMCFG_IRQ_PASSTHROUGH || !vm->spi_count)
		return 0;
	if (!hv->vgic.on) {
		hv_log("vm '%s': %zu passed-through SPIs but no vGIC to deliver them", vm->name,
		       vm->spi_count);
		return VMCFG_EINVAL;
	}
	spin_lock(&spi_lock);
	for (size_t i = 0; i < vm->spi_count && !err; i++) {
		uint32_t n = vm->spis[i];

		if (n >= VGIC_NR_SPIS) {
			/* The checker's W0405: the device works, its interrupt is not delivered. */
			hv_log("vm '%s': SPI %u (INTID %u) not routed: beyond the vGIC's %d SPIs",
			       vm->name, (unsigned)n, (unsigned)(32 + n), VGIC_NR_SPIS);
		} else if (spi_owner[n] && spi_owner[n] != hv) {
			hv_log("vm '%s': SPI %u (INTID %u) belongs to vm '%s' already", vm->name,
			       (unsigned)n, (unsigned)(32 + n), spi_owner[n]->vm->name);
			err = VMCFG_EBUSY;
		}
	}
	for (size_t i = 0; i < vm->spi_count && !err; i++)
		if (vm->spis[i] < VGIC_NR_SPIS)
			spi_owner[vm->spis[i]] = hv;
	spin_unlock(&spi_lock);
	return err;
}

void vgic_route_spis(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;
	uint64_t mpidr = cpus[hv->vcpus[0].pcpu].mpidr;

	for (size_t i = 0; i < vm->spi_count; i++)
		if (vm->spis[i] < VGIC_NR_SPIS && spi_owner[vm->spis[i]] == hv)
			gic_spi_route(32 + vm->spis[i], mpidr);
}

void vgic_release_spis(struct hv_vm *hv)
{
	spin_lock(&spi_lock);
	for (uint32_t n = 0; n < VGIC_NR_SPIS; n++)
		if (spi_owner[n] == hv) {
			gic_spi_release(32 + n);
			spi_owner[n] = NULL;
		}
	spin_unlock(&spi_lock);
}

void vgic_spi_fired(uint32_t intid)
{
	uint32_t n = intid - 32;
	struct hv_vm *hv;
	struct vgic *g;
	struct virq *q;

	spin_lock(&spi_lock);
	hv = n < VGIC_NR_SPIS ? spi_owner[n] : NULL;
	spin_unlock(&spi_lock);
	if (!hv) { /* released meanwhile: nobody's to hold */
		gic_spi_deactivate(intid);
		return;
	}
	g = &hv->vgic;
	spin_lock(&g->lock);
	q = &g->spis[n];
	q->hw_spi = true;
	q->latch = true;
	g->gen++;
	if (q->target != VGIC_NO_TARGET)
		kick(g, q->target);
	spin_unlock(&g->lock);
}

/* UARTMIS: the PL011's masked interrupt status, its interrupt output when non-zero. */
#define PL011_UARTMIS 0x40
/* UARTDR: the one PL011 register whose read has a side effect (it pops the receive FIFO). */
#define PL011_UARTDR 0x00

/* Samples the line of hv's PL011 console d from its UARTMIS (hv->lock held). */
static void pl011_line(struct hv_vm *hv, const struct vmcfg_vm_device_info *d)
{
	struct vgic *g = &hv->vgic;
	uint64_t mis = 0;
	struct virq *q;

	if (vmcfg_vm_mmio_read(hv->vm, d->base + PL011_UARTMIS, 4, &mis))
		return;
	spin_lock(&g->lock);
	q = &g->spis[d->irq_id - 32];
	if (q->line != (mis != 0))
		g->gen++;
	q->line = mis != 0;
	if (q->line && q->target != VGIC_NO_TARGET)
		kick(g, q->target);
	spin_unlock(&g->lock);
}

/* Whether d is a PL011 console with an SPI this vGIC has. */
static bool pl011_with_spi(const struct vmcfg_vm_device_info *d)
{
	return d->model && !memcmp(d->model, "pl011", 6) && d->irq_id >= 32 &&
	       d->irq_id < 32 + VGIC_NR_SPIS;
}

void vgic_device_accessed(struct hv_vm *hv, const struct vmcfg_vm_bus_entry *dev, uint64_t off,
			  bool write)
{
	const struct vmcfg_vm *vm = hv->vm;

	/*
	 * Only writes and UARTDR reads can change a PL011's interrupt status
	 * (PL011 TRM, 3.3: reading the other registers has no side effect), so
	 * the guest's polling of UARTFR — half of every console character —
	 * needs no resampling.
	 */
	if (!hv->vgic.on || (!write && off != PL011_UARTDR))
		return;
	for (size_t i = 0; i < vm->device_count; i++)
		if (vm->devices[i].base == dev->base && pl011_with_spi(&vm->devices[i])) {
			pl011_line(hv, &vm->devices[i]);
			return;
		}
}

void hv_arch_console_lines(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;

	if (!hv->vgic.on)
		return;
	for (size_t i = 0; i < vm->device_count; i++)
		if (pl011_with_spi(&vm->devices[i]))
			pl011_line(hv, &vm->devices[i]);
}
