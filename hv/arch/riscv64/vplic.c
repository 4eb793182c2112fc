/* SPDX-License-Identifier: MIT */
/*
 * A virtual PLIC (RISC-V Platform-Level Interrupt Controller Specification
 * 1.0.0, with QEMU virt's layout): priorities at 0x0 + 4 * source, pending
 * bits at 0x1000, per-context enables at 0x2000 + 0x80 * context, threshold
 * and claim/complete at 0x200000 + 0x1000 * context; sources 1..96
 * (VMCFG_VPLIC_NDEV, the guest DT's riscv,ndev). Two contexts per vCPU as
 * on QEMU's machine: 2i is hart i's M-mode context (present, never
 * delivered: a guest has no M-mode), 2i + 1 its S-mode one, delivered as
 * hvip.VSEIP. Sources are level-triggered: a source is pending while its
 * line is high and it is not claimed; completing it re-samples the line.
 * A passthrough device's source (plic.c) is high from the host's claim to
 * the guest's completion, which completes the host's claim.
 * All state under the vPLIC's own lock (taken inside the VM's and the host
 * PLIC's).
 */
#include "arch/riscv64/csr.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/vplic.h"
#include "core/arch.h"
#include "core/libc.h"
#include "core/vm.h"

#define PRIORITY_MAX 7u
#define PENDING_BASE 0x1000u
#define ENABLE_BASE 0x2000u
#define ENABLE_STRIDE 0x80u
#define CONTEXT_BASE VMCFG_VPLIC_CONTEXT_BASE
#define CONTEXT_STRIDE VMCFG_VPLIC_CONTEXT_STRIDE

static bool bit(const uint32_t *map, uint32_t s)
{
	return map[s / 32] >> (s % 32) & 1;
}

static void set_bit(uint32_t *map, uint32_t s, bool on)
{
	map[s / 32] = (map[s / 32] & ~(1u << (s % 32))) | (uint32_t)on << (s % 32);
}

static uint32_t contexts(const struct vplic *p)
{
	uint32_t n = p->vm->vcpu_count * 2;

	return n < VPLIC_MAX_CONTEXTS ? n : VPLIC_MAX_CONTEXTS;
}

/* The best source context ctx may claim: pending, enabled, above its threshold; 0 when none. */
static uint32_t best(const struct vplic *p, uint32_t ctx)
{
	uint32_t id = 0, prio = p->threshold[ctx];

	for (uint32_t s = 1; s < VPLIC_SOURCES; s++)
		if (bit(p->pending, s) && bit(p->enable[ctx], s) && p->priority[s] > prio) {
			prio = p->priority[s];
			id = s;
		}
	return id;
}

/* Each vCPU's VSEIP follows its S context (lock held); changed ones on other harts are kicked. */
static void update(struct vplic *p)
{
	for (uint32_t i = 0; i < p->vm->vcpu_count && 2 * i + 1 < contexts(p); i++) {
		struct vcpu *v = &p->vm->vcpus[i];
		uint32_t want = best(p, 2 * i + 1) != 0;

		if (__atomic_exchange_n(&v->eip, want, __ATOMIC_ACQ_REL) != want &&
		    v->pcpu != this_cpu()->index)
			hv_arch_kick(v->pcpu);
	}
}

/* Level-triggered gateway: a high line not claimed is pending. */
static void sample(struct vplic *p)
{
	for (uint32_t w = 0; w < VPLIC_WORDS; w++)
		p->pending[w] = p->line[w] & ~p->claimed[w];
	set_bit(p->pending, 0, false);
	update(p);
}

static int vplic_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct vplic *p = dev;
	uint32_t ctx;

	if (width != 4 || (off & 3))
		return VMCFG_EINVAL;
	*value = 0;
	spin_lock(&p->lock);
	if (off < PENDING_BASE) {
		if (off / 4 < VPLIC_SOURCES)
			*value = p->priority[off / 4];
	} else if (off < ENABLE_BASE) {
		if ((off - PENDING_BASE) / 4 < VPLIC_WORDS)
			*value = p->pending[(off - PENDING_BASE) / 4];
	} else if (off < CONTEXT_BASE) {
		ctx = (uint32_t)((off - ENABLE_BASE) / ENABLE_STRIDE);
		off = (off - ENABLE_BASE) % ENABLE_STRIDE;
		if (ctx < contexts(p) && off / 4 < VPLIC_WORDS)
			*value = p->enable[ctx][off / 4];
	} else {
		ctx = (uint32_t)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
		off = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
		if (ctx < contexts(p) && off == 0) {
			*value = p->threshold[ctx];
		} else if (ctx < contexts(p) && off == 4) {
			uint32_t id = best(p, ctx); /* claim */

			if (id) {
				set_bit(p->claimed, id, true);
				sample(p);
			}
			*value = id;
		}
	}
	spin_unlock(&p->lock);
	return 0;
}

static int vplic_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct vplic *p = dev;
	uint32_t ctx, completed = 0;

	if (width != 4 || (off & 3))
		return VMCFG_EINVAL;
	spin_lock(&p->lock);
	if (off < PENDING_BASE) {
		if (off / 4 > 0 && off / 4 < VPLIC_SOURCES)
			p->priority[off / 4] = (uint32_t)value & PRIORITY_MAX;
	} else if (off < ENABLE_BASE) {
		/* pending bits are read-only */
	} else if (off < CONTEXT_BASE) {
		ctx = (uint32_t)((off - ENABLE_BASE) / ENABLE_STRIDE);
		off = (off - ENABLE_BASE) % ENABLE_STRIDE;
		if (ctx < contexts(p) && off / 4 < VPLIC_WORDS) {
			p->enable[ctx][off / 4] = (uint32_t)value;
			set_bit(p->enable[ctx], 0, false); /* source 0 does not exist */
			if (off / 4 == VPLIC_WORDS - 1 && VPLIC_SOURCES % 32) /* nor do those past the last */
				p->enable[ctx][off / 4] &= (1u << (VPLIC_SOURCES % 32)) - 1;
		}
	} else {
		ctx = (uint32_t)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
		off = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
		if (ctx < contexts(p) && off == 0)
			p->threshold[ctx] = (uint32_t)value & PRIORITY_MAX;
		else if (ctx < contexts(p) && off == 4 && value > 0 && value < VPLIC_SOURCES) {
			/* complete */
			if (bit(p->claimed, (uint32_t)value) && plic_is_host_source(p->vm, (uint32_t)value)) {
				completed = (uint32_t)value;
				set_bit(p->line, completed, false); /* until the host raises it again */
			}
			set_bit(p->claimed, (uint32_t)value, false);
		}
	}
	sample(p);
	spin_unlock(&p->lock);
	if (completed)
		plic_guest_completed(p->vm, completed);
	return 0;
}

/* Power-on state: nothing enabled, pending or claimed, every priority 0. */
static void vplic_reset(void *dev)
{
	struct vplic *p = dev;
	struct hv_vm *vm = p->vm;

	memset(p, 0, sizeof *p);
	p->on = true;
	p->vm = vm;
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		__atomic_store_n(&vm->vcpus[i].eip, 0u, __ATOMIC_RELEASE);
	plic_vm_reset(vm);
}

static const struct vmcfg_vm_device_ops vplic_ops = {
	.read = vplic_read, .write = vplic_write, .reset = vplic_reset
};

/* Puts hv's vPLIC on vm's bus at [base, base + size). */
static int attach(struct hv_vm *hv, struct vmcfg_vm *vm, uint64_t base, uint64_t size)
{
	struct vplic *p = &hv->vplic;
	int err;

	if (p->on || size < VMCFG_VPLIC_MIN_SIZE(vm->vcpu_count) ||
	    VMCFG_VPLIC_CONTEXTS_PER_HART * vm->vcpu_count > VPLIC_MAX_CONTEXTS)
		return VMCFG_EINVAL;
	err = vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, base, size, "PLIC", &vplic_ops, p);
	if (err)
		return err;
	memset(p, 0, sizeof *p);
	p->on = true;
	p->vm = hv;
	return 0;
}

int vplic_device_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	if (dev->emu_type != VMCFG_EMU_INTERRUPT_CONTROLLER)
		return VMCFG_ENOSYS;
	return attach(ud, vm, dev->base_gpa, dev->length);
}

int vplic_default(struct hv_vm *hv)
{
	struct vmcfg_translation t;

	if (hv->vplic.on || hv->vm->irq_mode == VMCFG_IRQ_NONE)
		return 0;
	if (hv->vm->irq_mode == VMCFG_IRQ_EMU)
		return attach(hv, hv->vm, VMCFG_VPLIC_BASE, VMCFG_VPLIC_SIZE);
	/*
	 * "passthrough": the vPLIC that delivers the VM's devices' sources
	 * (plic.c), where nothing of the VM is — AxVisor's files may map the
	 * host PLIC's window there, or put an inert PPPTGlobal device: such a
	 * VM keeps what it asked for, and its sources are not delivered.
	 */
	for (uint64_t off = 0; off < VMCFG_VPLIC_SIZE; off += VMCFG_PAGE_SIZE)
		if (vmcfg_aspace_translate(&hv->vm->aspace, VMCFG_VPLIC_BASE + off, &t) != VMCFG_EFAULT)
			return 0;
	/* Nor with more vCPUs than it has contexts for, or a device there (both logged when routing). */
	(void)attach(hv, hv->vm, VMCFG_VPLIC_BASE, VMCFG_VPLIC_SIZE);
	return 0;
}

void vplic_set_line(struct hv_vm *hv, uint32_t irq, bool level)
{
	struct vplic *p = &hv->vplic;

	if (!p->on || irq == 0 || irq >= VPLIC_SOURCES)
		return;
	spin_lock(&p->lock);
	set_bit(p->line, irq, level);
	sample(p);
	spin_unlock(&p->lock);
}

/* Samples the line of d, a device of hv, when it is a console with an irq_id (hv->lock held). */
static void console_line(struct hv_vm *hv, const struct vmcfg_vm_device_info *d)
{
	bool line;

	if (d->irq_id && !vmcfg_vm_console_irq(hv->vm, d->base, &line))
		vplic_set_line(hv, d->irq_id, line);
}

/*
 * The line of a console with an irq_id follows lib/vm's model
 * (vmcfg_vm_console_irq: the 16550's identified interrupt), re-sampled
 * after each guest access to it (hv->lock held).
 */
void vplic_device_accessed(struct hv_vm *hv, const struct vmcfg_vm_bus_entry *dev)
{
	const struct vmcfg_vm *vm = hv->vm;

	if (!hv->vplic.on)
		return;
	for (size_t i = 0; i < vm->device_count; i++)
		if (vm->devices[i].base == dev->base)
			console_line(hv, &vm->devices[i]);
}

void hv_arch_console_lines(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;

	if (!hv->vplic.on)
		return;
	for (size_t i = 0; i < vm->device_count; i++)
		console_line(hv, &vm->devices[i]);
}
