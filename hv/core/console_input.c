/* SPDX-License-Identifier: MIT */
/* Console input for the VMs: the focus, the escape, a ring per VM (console_input.h). */
#include "core/console_input.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/libc.h"
#include "core/spinlock.h"
#include "core/vm.h"

/* A VM's bytes not yet in its console's FIFO. */
struct ring {
	char buf[CONSOLE_INPUT_RING];
	uint32_t head, count; /* count: written under lock, read atomically */
	uint64_t dropped;
};

static struct spinlock lock;
static struct hv_vm *vms;
static size_t vm_count;
static struct ring rings[HV_MAX_VMS];
static bool active;
static size_t focus;
static bool escaped; /* the last byte read was the escape */

bool console_input_active(void)
{
	return __atomic_load_n(&active, __ATOMIC_ACQUIRE);
}

/* Whether a VM maps the UART's registers or owns its interrupt: its input is then its own. */
static bool uart_passed_through(const struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;
	uint64_t base = console_hw_base();

	for (size_t i = 0; i < vm->pt_window_count; i++)
		if (base >= vm->pt_windows[i].hpa &&
		    base - vm->pt_windows[i].hpa < vm->pt_windows[i].size)
			return true;
	for (size_t i = 0; i < vm->spi_count; i++)
		if (vm->spis[i] == console_hw_host_irq())
			return true;
	return false;
}

void console_input_start(struct hv_vm *created, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (uart_passed_through(&created[i])) {
			hv_log("console input: none (vm '%s' owns the UART)", created[i].vm->name);
			return;
		}
	vms = created;
	vm_count = count; /* at most HV_MAX_VMS: vm_boot creates no more */
	focus = 0;
	escaped = false;
	memset(rings, 0, sizeof rings);
	__atomic_store_n(&active, true, __ATOMIC_RELEASE);
	hv_arch_console_irq_take();
	console_hw_rx_irq(true);
	if (count > 1)
		hv_log("console input: vm '%s' (Ctrl-] n: the next VM)", vms[0].vm->name);
}

void console_input_stop(void)
{
	if (!console_input_active())
		return;
	console_hw_rx_irq(false);
	hv_arch_console_irq_release();
	spin_lock(&lock);
	__atomic_store_n(&active, false, __ATOMIC_RELEASE);
	for (size_t i = 0; i < vm_count; i++)
		if (rings[i].dropped)
			hv_log("console input: vm '%s': %llu byte(s) dropped (not read in time)",
			       vms[i].vm->name, (unsigned long long)rings[i].dropped);
	spin_unlock(&lock);
}

/* Moves the focus to VM k, or (k == vm_count) to the next live VM after the focus; lock held. */
static void move_focus(size_t k)
{
	if (k == vm_count) {
		k = focus;
		for (size_t step = 1; step <= vm_count; step++)
			if (hv_vm_live(&vms[(focus + step) % vm_count])) {
				k = (focus + step) % vm_count;
				break;
			}
	}
	focus = k;
	hv_log("console input: vm '%s'%s", vms[k].vm->name, hv_vm_live(&vms[k]) ? "" : " (ended)");
}

/* One byte typed: the escape and what follows it, or a byte for the focus (lock held). */
static void take_byte(char c)
{
	struct ring *r;

	if (escaped) {
		escaped = false;
		if (c == 'n') {
			move_focus(vm_count);
			return;
		}
		if (c >= '0' && c <= '9' && (size_t)(c - '0') < vm_count) {
			move_focus((size_t)(c - '0'));
			return;
		}
		if (c != CONSOLE_INPUT_ESCAPE)
			return; /* not a command: both bytes go */
	} else if (c == CONSOLE_INPUT_ESCAPE) {
		escaped = true;
		return;
	}
	if (!hv_vm_live(&vms[focus]))
		move_focus(vm_count); /* the focus ended: to whatever still runs */
	r = &rings[focus];
	if (r->count == sizeof r->buf) {
		r->dropped++;
		return;
	}
	r->buf[(r->head + r->count) % sizeof r->buf] = c;
	__atomic_store_n(&r->count, r->count + 1, __ATOMIC_RELEASE);
}

/* Moves what hv's ring holds into its console's FIFO (hv->lock held). */
static void feed(struct hv_vm *hv)
{
	struct ring *r = &rings[hv - vms];
	bool took = false;

	spin_lock(&lock);
	while (r->count) {
		uint32_t run = r->count < sizeof r->buf - r->head ? r->count
								  : (uint32_t)(sizeof r->buf - r->head);
		int n = vmcfg_vm_console_input(hv->vm, r->buf + r->head, run);

		if (n <= 0)
			break; /* full, or no console to take it (an SBI read may) */
		r->head = (r->head + (uint32_t)n) % sizeof r->buf;
		__atomic_store_n(&r->count, r->count - (uint32_t)n, __ATOMIC_RELEASE);
		took = true;
		if ((uint32_t)n < run)
			break;
	}
	spin_unlock(&lock);
	if (took)
		hv_arch_console_lines(hv);
}

/* Hands hv's waiting bytes to its console, the shadow removed first. */
static void deliver(struct hv_vm *hv)
{
	uint64_t gpa;

	spin_lock(&hv->lock);
	if (hv_vm_live(hv)) {
		/* Its console's reads must exit from now on, to drain the FIFO (lib/vm). */
		if (vmcfg_vm_console_unshadow(hv->vm, &gpa) == 0)
			hv_vm_stage2_unmapped(hv, gpa, VMCFG_PAGE_SIZE);
		feed(hv);
	}
	spin_unlock(&hv->lock);
}

void console_input_received(void)
{
	int c;

	if (!console_input_active())
		return;
	spin_lock(&lock);
	while ((c = console_hw_getc()) >= 0)
		take_byte((char)c);
	spin_unlock(&lock);
	/* Every VM that got bytes: an escape may have moved the focus meanwhile. */
	for (size_t i = 0; i < vm_count; i++)
		if (__atomic_load_n(&rings[i].count, __ATOMIC_ACQUIRE))
			deliver(&vms[i]);
}

void console_input_refill(struct hv_vm *hv)
{
	if (console_input_active() && hv >= vms && hv < vms + vm_count &&
	    __atomic_load_n(&rings[hv - vms].count, __ATOMIC_ACQUIRE))
		feed(hv);
}

int console_input_getc(struct hv_vm *hv)
{
	struct ring *r;
	int c = -1;

	if (!console_input_active() || hv < vms || hv >= vms + vm_count)
		return -1;
	r = &rings[hv - vms];
	spin_lock(&lock);
	if (r->count) {
		c = (unsigned char)r->buf[r->head];
		r->head = (r->head + 1) % sizeof r->buf;
		__atomic_store_n(&r->count, r->count - 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&lock);
	return c;
}
