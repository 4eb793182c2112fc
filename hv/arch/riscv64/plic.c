/* SPDX-License-Identifier: MIT */
/* The host's PLIC and the passthrough-mode VMs' sources on it (plic.h). */
#include "arch/riscv64/plic.h"
#include "arch/riscv64/cpu.h"
#include "arch/riscv64/csr.h"
#include "core/console.h"
#include "core/console_input.h"
#include "core/spinlock.h"
#include "core/vm.h"
#include "platform/qemu-virt-riscv64/platform.h"

#define PRIORITY(irq) (PLAT_PLIC_BASE + 4ull * (irq))
#define ENABLE(ctx, irq) (PLAT_PLIC_BASE + 0x2000ull + 0x80ull * (ctx) + 4ull * ((irq) / 32))
#define THRESHOLD(ctx) (PLAT_PLIC_BASE + 0x200000ull + 0x1000ull * (ctx))
#define CLAIM(ctx) (THRESHOLD(ctx) + 4)
#define NO_CONTEXT UINT32_MAX

/*
 * Per source: the VM that owns it (written only while that VM is created
 * or destroyed, read without the lock), the context it is enabled in and
 * whether the host claim is open. Lock order: this lock, then a vPLIC's.
 */
static struct hv_vm *owner[VPLIC_SOURCES];
static uint32_t context[VPLIC_SOURCES];
static bool open_claim[VPLIC_SOURCES];
static struct spinlock lock;

static uint32_t read32(uint64_t pa)
{
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static void write32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}

static uint32_t hart_context(uint64_t hartid)
{
	return (uint32_t)PLAT_PLIC_S_CONTEXT(hartid);
}

static void enable(uint32_t ctx, uint32_t irq, bool on)
{
	uint32_t w = read32(ENABLE(ctx, irq)), bit = 1u << (irq % 32);

	write32(ENABLE(ctx, irq), on ? w | bit : w & ~bit);
}

/* Ends irq's open host claim (lock held). */
static void complete(uint32_t irq)
{
	if (!open_claim[irq])
		return;
	open_claim[irq] = false;
	write32(CLAIM(context[irq]), irq);
}

void plic_hart_init(void)
{
	write32(THRESHOLD(hart_context(this_cpu()->hartid)), 0);
	csr_set(sie, SIP_SEIP);
}

static bool routable(uint32_t irq)
{
	return irq > 0 && irq < VPLIC_SOURCES;
}

int plic_claim_sources(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;
	int err = 0;

	spin_lock(&lock);
	for (size_t k = 0; k < vm->spi_count && !err; k++) {
		uint32_t irq = vm->spis[k];

		if (!routable(irq))
			hv_log("vm '%s': PLIC source %u not routed: the vPLIC has sources 1 to %d",
			       vm->name, irq, VPLIC_SOURCES - 1);
		else if (owner[irq] && owner[irq] != hv)
			err = VMCFG_EBUSY;
		if (err)
			hv_log("vm '%s': PLIC source %u belongs to vm '%s' already", vm->name, irq,
			       owner[irq]->vm->name);
	}
	for (size_t k = 0; k < vm->spi_count && !err; k++)
		if (routable(vm->spis[k])) {
			owner[vm->spis[k]] = hv;
			context[vm->spis[k]] = NO_CONTEXT;
		}
	spin_unlock(&lock);
	return err;
}

void plic_route_sources(struct hv_vm *hv)
{
	uint32_t ctx = hart_context(cpus[hv->vcpus[0].pcpu].hartid), routed = 0;

	if (!hv->vm->spi_count)
		return;
	if (!hv->vplic.on) {
		hv_log("vm '%s': no virtual PLIC (something of the VM lies in its window at %#llx, "
		       "or it has more vCPUs than the vPLIC serves): %zu passthrough interrupt(s) "
		       "not delivered", hv->vm->name, (unsigned long long)VMCFG_VPLIC_BASE,
		       hv->vm->spi_count);
		return;
	}
	spin_lock(&lock);
	for (uint32_t irq = 1; irq < VPLIC_SOURCES; irq++) {
		if (owner[irq] != hv)
			continue;
		if (context[irq] != NO_CONTEXT)
			enable(context[irq], irq, false);
		context[irq] = ctx;
		write32(PRIORITY(irq), 1);
		enable(ctx, irq, true);
		routed++;
	}
	spin_unlock(&lock);
	hv_log("vm '%s': %u PLIC source(s) routed to hart %llu", hv->vm->name, routed,
	       (unsigned long long)cpus[hv->vcpus[0].pcpu].hartid);
}

void plic_release_sources(struct hv_vm *hv)
{
	spin_lock(&lock);
	for (uint32_t irq = 1; irq < VPLIC_SOURCES; irq++) {
		if (owner[irq] != hv)
			continue;
		if (context[irq] != NO_CONTEXT) {
			enable(context[irq], irq, false);
			write32(PRIORITY(irq), 0);
		}
		complete(irq);
		__atomic_store_n(&owner[irq], NULL, __ATOMIC_RELEASE);
	}
	spin_unlock(&lock);
}

/*
 * The console UART's source, while the hypervisor takes its input: enabled
 * in this hart's context (no VM owns it: console_input_start checked that
 * none maps the UART).
 */
void plic_console_take(void)
{
	spin_lock(&lock);
	context[PLAT_UART_IRQ] = hart_context(this_cpu()->hartid);
	write32(PRIORITY(PLAT_UART_IRQ), 1);
	enable(context[PLAT_UART_IRQ], PLAT_UART_IRQ, true);
	spin_unlock(&lock);
}

void plic_console_release(void)
{
	spin_lock(&lock);
	enable(context[PLAT_UART_IRQ], PLAT_UART_IRQ, false);
	write32(PRIORITY(PLAT_UART_IRQ), 0);
	spin_unlock(&lock);
}

void plic_handle(void)
{
	uint32_t ctx = hart_context(this_cpu()->hartid), irq;
	bool console = false;

	spin_lock(&lock);
	while ((irq = read32(CLAIM(ctx))) != 0) {
		struct hv_vm *hv = irq < VPLIC_SOURCES ? owner[irq] : NULL;

		if (irq == PLAT_UART_IRQ && !hv && console_input_active()) {
			/* Completed after the UART is drained, below: its level would re-pend it. */
			console = true;
			continue;
		}
		if (!hv || context[irq] != ctx || !hv->vplic.on) {
			/* Not ours to deliver (a stale enable): off here, and the claim ended. */
			enable(ctx, irq, false);
			write32(CLAIM(ctx), irq);
			continue;
		}
		open_claim[irq] = true;
		vplic_set_line(hv, irq, true);
	}
	spin_unlock(&lock);
	if (console) {
		/* Outside the lock: delivery takes a VM's lock, which comes before this one. */
		console_input_received();
		write32(CLAIM(ctx), PLAT_UART_IRQ);
	}
}

bool plic_is_host_source(const struct hv_vm *hv, uint32_t irq)
{
	return routable(irq) && __atomic_load_n(&owner[irq], __ATOMIC_ACQUIRE) == hv;
}

void plic_guest_completed(struct hv_vm *hv, uint32_t irq)
{
	if (!plic_is_host_source(hv, irq))
		return;
	spin_lock(&lock);
	complete(irq);
	spin_unlock(&lock);
}

void plic_vm_reset(struct hv_vm *hv)
{
	spin_lock(&lock);
	for (uint32_t irq = 1; irq < VPLIC_SOURCES; irq++)
		if (owner[irq] == hv)
			complete(irq);
	spin_unlock(&lock);
}
