/* SPDX-License-Identifier: MIT */
/* VMs: built by lib/vm's vmcfg_vm_create, run by the scheduler, ended once, destroyed. */
#include "core/arch.h"
#include "core/console.h"
#include "core/frames.h"
#include "core/libc.h"
#include "core/vm.h"

static struct hv_vm *registered[HV_MAX_VMS];
static uint32_t registered_count, live_count;

/* Writes the line in progress as "[name] text\n" (called with hv->lock held). */
static void flush_line(struct hv_vm *hv)
{
	char out[HV_VM_LINE_MAX + 40];
	size_t n;

	if (!hv->line_len)
		return;
	n = vmcfg_snprintf(out, sizeof out - 1, "[%s] %.*s", hv->vm->name, (int)hv->line_len,
			   hv->line);
	if (n > sizeof out - 2)
		n = sizeof out - 2;
	out[n++] = '\n';
	console_write(out, n);
	hv->line_len = 0;
}

/*
 * lib/vm's console sink: bytes the guest wrote to its emulated UART. They
 * are collected per line and printed whole with the VM's name, so lines of
 * VMs running on different CPUs never mix. Control characters other than
 * tab become '?': an escape sequence or backspace reaching the operator's
 * terminal could erase the "[name]" prefix or rewrite the hypervisor's own
 * lines. Called from bus dispatch, which holds hv->lock.
 */
static void console_sink(void *ud, const struct vmcfg_vm *vm, const char *s, size_t len)
{
	struct hv_vm *hv = ud;

	(void)vm;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			flush_line(hv);
			continue;
		}
		if (s[i] == '\r')
			continue;
		if (hv->line_len == sizeof hv->line)
			flush_line(hv); /* an over-long line goes out in pieces */
		hv->line[hv->line_len++] =
			((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f ? '?' : s[i];
	}
}

void hv_vm_console_put(struct hv_vm *hv, const char *s, size_t len)
{
	spin_lock(&hv->lock);
	console_sink(hv, hv->vm, s, len);
	spin_unlock(&hv->lock);
}

/* The built-in images cfg names: relative to its file, or on the file system ("fs"). */
static int find_images(const struct vmcfg_vm_config *cfg, const char *cfg_path,
		       struct vmcfg_vm_image_data *images, size_t *count)
{
	const struct vmcfg_vm_image *const want[] = {
		[VMCFG_IMAGE_KERNEL] = &cfg->kernel,
		[VMCFG_IMAGE_BIOS] = &cfg->bios,
		[VMCFG_IMAGE_DTB] = &cfg->dtb,
		[VMCFG_IMAGE_RAMDISK] = &cfg->ramdisk,
	};

	*count = 0;
	for (size_t k = 0; k < 4; k++) {
		const struct hv_file *f;

		if (!want[k]->path)
			continue;
		bool fs = cfg->image_location != VMCFG_IMAGE_MEMORY;

		f = hv_file_find_image(cfg_path, fs, want[k]->path);
		if (!f) {
			hv_log("vm '%s' (%s): image '%s' is not built into the hypervisor%s",
			       cfg->name, cfg_path, want[k]->path,
			       fs ? " (image_location \"fs\": its file system, fs/ of hv.mk)" : "");
			return VMCFG_ENOENT;
		}
		images[(*count)++] = (struct vmcfg_vm_image_data){ (enum vmcfg_image_kind)k, f->data,
							    (size_t)f->size };
	}
	return 0;
}

uint64_t hv_guest_seed;

/* Every vCPU at its first entry per the VM's plan: vCPU 0 runnable, the others off. */
static void reset_vcpus(struct hv_vm *hv)
{
	const struct vmcfg_vm *vm = hv->vm;

	/*
	 * The DTB's GPA in the boot registers only when a DTB image was loaded
	 * (a dtb_path, or the guest DT built at boot), else 0: a dtb_load_addr
	 * whose guest DT could not be built names an empty page, and 0 tells a
	 * guest plainly "no DTB".
	 */
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		hv_arch_vcpu_boot(&hv->vcpus[i], hv, i, &vm->vcpus[i],
				  vm->images[VMCFG_IMAGE_DTB].loaded);
	hv_arch_vcpu_set_seed(&hv->vcpus[0], hv_guest_seed);
	hv->vcpus[0].state = VCPU_RUNNABLE;
}

int hv_vm_create(struct hv_vm *hv, const struct vmcfg_vm_config *cfg, const char *cfg_path,
		 const void *guest_dt, size_t guest_dt_size,
		 const struct vmcfg_system *sys, uint16_t vmid)
{
	struct vmcfg_vm_create_opts opts = {
		.arch = HV_ARCH_VMCFG,
		.pa_bits = hv_arch_pa_bits(),
		.aspace_options = HV_ARCH_STAGE2_OPTIONS,
		/*
		 * RAM is the VM's from here on, but each leaf is zeroed at its
		 * first touch (trap.c touch_ram): creation makes no pass over
		 * all of it, and what the guest never touches is never written.
		 */
		.defer_zeroing = true,
		/*
		 * The PL011 driver reads FR before every byte it writes: with a
		 * read-only page showing the registers, those reads do not exit
		 * (trap.c dispatches the writes, permission faults there). The
		 * hypervisor feeds no console input, which the page could not show.
		 */
		.console_read_shadow = true,
		.images = hv->images,
		.console = console_sink,
		.console_ud = hv,
		.device_factory = hv_arch_device_factory,
		.device_factory_ud = hv,
	};
	struct vmcfg_pt_regs regs;
	struct vmcfg_vm *vm;
	int err;

	memset(hv, 0, sizeof *hv);
	if (cfg->cpu_num > HV_VM_MAX_VCPUS) {
		hv_log("vm '%s' (%s): cpu_num %u: this hypervisor runs at most %d vCPUs per VM",
		       cfg->name, cfg_path, (unsigned)cfg->cpu_num, HV_VM_MAX_VCPUS);
		return VMCFG_ELIMIT;
	}
	err = find_images(cfg, cfg_path, hv->images, &hv->image_count);
	if (err)
		return err;
	/*
	 * dtb_load_addr alone: the guest DT built at boot goes there
	 * (docs/config-reference.md); with a dtb_path, that file fixed up at
	 * boot replaces the file (as it is when it could not be fixed up).
	 */
	if (cfg->dtb.has_load_gpa && guest_dt) {
		size_t k = 0;
		while (k < hv->image_count && hv->images[k].kind != VMCFG_IMAGE_DTB)
			k++;
		if (k == hv->image_count)
			hv->image_count++;
		hv->images[k] = (struct vmcfg_vm_image_data){ VMCFG_IMAGE_DTB, guest_dt,
							     guest_dt_size };
	}
	opts.image_count = hv->image_count;
	/* Failures are reported through the HAL's log (frames.c) by vmcfg_vm_create itself. */
	err = vmcfg_vm_create(cfg, sys, frames_hal(), &opts, &vm);
	if (err)
		return err;
	err = vmcfg_vm_stage2_regs(vm, &regs);
	if (err) {
		hv_log("vm '%s': stage-2 registers: %s", cfg->name, vmcfg_strerror(err));
		vmcfg_vm_destroy(vm);
		return err;
	}
	hv->vm = vm;
	/* Its passed-through SPIs, refused when another VM has one (reported). */
	err = hv_arch_vm_claim_irqs(hv);
	if (err) {
		vmcfg_vm_destroy(vm);
		return err;
	}
	hv->vmid = vmid;
	err = hv_arch_vm_init(hv, &regs);
	if (err) {
		hv_arch_vm_release_irqs(hv);
		vmcfg_vm_destroy(vm);
		return err;
	}
	hv->vcpu_count = vm->vcpu_count;
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		err = vcpu_alloc(&hv->vcpus[i]);
		if (err) {
			hv_log("vm '%s': vCPU %u: no memory for its SVE registers", cfg->name,
			       (unsigned)i);
			while (i--)
				vcpu_free(&hv->vcpus[i]);
			hv_arch_vm_release_irqs(hv);
			vmcfg_vm_destroy(vm);
			return err;
		}
	}
	reset_vcpus(hv);
	vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING);
	return 0;
}

void hv_vm_destroy(struct hv_vm *hv)
{
	int err;

	hv_arch_vm_flush(hv);
	hv_arch_vm_release_irqs(hv);
	/* The lifecycle's way out of RUNNING (vm.h): STOPPING, then STOPPED. */
	vmcfg_vm_set_state(hv->vm, VMCFG_VM_STOPPING);
	vmcfg_vm_set_state(hv->vm, VMCFG_VM_STOPPED);
	for (uint32_t i = 0; i < hv->vcpu_count; i++)
		vcpu_free(&hv->vcpus[i]);
	err = vmcfg_vm_destroy(hv->vm);
	if (err)
		hv_log("vm '%s': not destroyed: %s", hv->vm->name, vmcfg_strerror(err));
}

/* Kicks the other CPUs that run hv's vCPUs, so each leaves its guest at once. */
static void kick_vcpus(const struct hv_vm *hv)
{
	uint32_t self = this_cpu()->index;

	for (uint32_t i = 0; i < hv->vcpu_count; i++)
		if (hv->vcpus[i].pcpu != self)
			hv_arch_kick(hv->vcpus[i].pcpu);
}

/*
 * Makes the other CPUs see that hv ended: those running its vCPUs (a vCPU
 * alone on its CPU has no time slice to end its turn) and, when it was the
 * last live VM, every CPU, idle ones included, so they leave their loops.
 */
static void kick_after_end(const struct hv_vm *hv)
{
	uint32_t self = this_cpu()->index;

	if (hv_vm_live_count()) {
		kick_vcpus(hv);
		return;
	}
	for (uint32_t c = 0; c < HV_MAX_CPUS; c++)
		if (c != self && __atomic_load_n(&cpus[c].online, __ATOMIC_ACQUIRE))
			hv_arch_kick(c);
}

void hv_vm_request_reset(struct hv_vm *hv)
{
	spin_lock(&hv->lock);
	if (hv->end == HV_VM_LIVE && !hv->resetting) {
		flush_line(hv);
		__atomic_store_n(&hv->parked, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&hv->resetting, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&hv->lock);
	kick_vcpus(hv);
}

/*
 * The reset itself, on the CPU that parked the last vCPU: no CPU runs or
 * holds any of hv's vCPUs now. Cached translations of the old run go (the
 * guest's own stage-1 entries are tagged with this VMID too), then lib/vm
 * resets devices and images and the vCPUs start over.
 */
static void reset_now(struct hv_vm *hv)
{
	int err;

	hv_arch_vm_flush(hv);
	/* Under the lock, as bus dispatch: an IVC call of another VM may change its tables (core/ivc.c). */
	spin_lock(&hv->lock);
	err = vmcfg_vm_reset(hv->vm, hv->images, hv->image_count);
	if (err) {
		hv_vm_stop_locked(hv, "reset failed: %s", vmcfg_strerror(err));
	} else {
		reset_vcpus(hv);
		vmcfg_vm_set_state(hv->vm, VMCFG_VM_RUNNING);
		hv->resets++;
		hv_log("vm '%s': reset by " HV_ARCH_RESET_CALL " (%u so far); starting again",
		       hv->vm->name, hv->resets);
	}
	__atomic_store_n(&hv->resetting, false, __ATOMIC_RELEASE);
	spin_unlock(&hv->lock);
	if (!err && hv->vcpus[0].pcpu != this_cpu()->index)
		hv_arch_kick(hv->vcpus[0].pcpu);
}

void hv_vm_park(struct vcpu *v)
{
	struct hv_vm *hv = v->vm;
	bool last, live;

	if (this_cpu()->loaded == v)
		vcpu_put_current();
	spin_lock(&hv->lock);
	__atomic_store_n(&hv->parked, hv->parked | 1u << v->id, __ATOMIC_RELEASE);
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	last = hv->parked == (1u << hv->vcpu_count) - 1;
	live = hv->end == HV_VM_LIVE;
	if (last && !live)
		__atomic_store_n(&hv->resetting, false, __ATOMIC_RELEASE); /* it ended meanwhile */
	spin_unlock(&hv->lock);
	if (last && live)
		reset_now(hv);
}

/* Ends hv once with end/reason (hv->lock held). */
static void end_locked(struct hv_vm *hv, enum hv_vm_end end, const char *reason)
{
	if (hv->end != HV_VM_LIVE)
		return; /* another vCPU ended it first: its reason stands */
	flush_line(hv);
	vmcfg_snprintf(hv->reason, sizeof hv->reason, "%s", reason);
	__atomic_store_n(&hv->end, end, __ATOMIC_RELEASE);
	__atomic_sub_fetch(&live_count, 1, __ATOMIC_ACQ_REL);
	hv_log("vm '%s': %s: %s", hv->vm->name, end == HV_VM_OFF ? "powered off" : "stopped",
	       reason);
	kick_after_end(hv);
}

void hv_vm_power_off(struct hv_vm *hv, const char *why)
{
	spin_lock(&hv->lock);
	end_locked(hv, HV_VM_OFF, why);
	spin_unlock(&hv->lock);
}

static void vstop_locked(struct hv_vm *hv, const char *fmt, va_list ap)
{
	char msg[HV_VM_REASON_MAX];

	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	end_locked(hv, HV_VM_STOPPED, msg);
}

void hv_vm_stop_locked(struct hv_vm *hv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstop_locked(hv, fmt, ap);
	va_end(ap);
}

void hv_vm_stop(struct hv_vm *hv, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&hv->lock);
	va_start(ap, fmt);
	vstop_locked(hv, fmt, ap);
	va_end(ap);
	spin_unlock(&hv->lock);
}

void hv_vm_register(struct hv_vm *hv)
{
	registered[registered_count++] = hv;
	__atomic_add_fetch(&live_count, 1, __ATOMIC_ACQ_REL);
}

void hv_vm_lock_all(void)
{
	for (uint32_t i = 0; i < registered_count; i++)
		spin_lock(&registered[i]->lock);
}

void hv_vm_unlock_all(void)
{
	for (uint32_t i = registered_count; i-- > 0;)
		spin_unlock(&registered[i]->lock);
}

struct hv_vm *hv_vm_of(const struct vmcfg_vm *vm)
{
	for (uint32_t i = 0; i < registered_count; i++)
		if (registered[i]->vm == vm)
			return registered[i];
	return NULL;
}

void hv_vm_stage2_unmapped(struct hv_vm *hv, uint64_t gpa, uint64_t size)
{
	hv_arch_stage2_unmapped(hv, gpa, size);
	/* Only now can no CPU walk through the tables the unmap emptied. */
	vmcfg_aspace_release_retired(&hv->vm->aspace);
}

uint32_t hv_vm_live_count(void)
{
	return __atomic_load_n(&live_count, __ATOMIC_ACQUIRE);
}

void hv_vm_format_traps(const struct hv_vm *hv, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned c = 0; c < HV_TRAP_CLASSES && n < size; c++) {
		uint64_t k = __atomic_load_n(&hv->traps[c], __ATOMIC_RELAXED);

		if (k && hv_arch_trap_names[c])
			n += vmcfg_snprintf(buf + n, size - n, "%s%s %llu", n ? ", " : "",
					    hv_arch_trap_names[c], (unsigned long long)k);
	}
}

enum hv_vcpu_start hv_vm_vcpu_start(struct hv_vm *vm, struct vcpu *t, uint64_t entry, uint64_t arg)
{
	enum hv_vcpu_start r = HV_VCPU_STARTED;

	spin_lock(&vm->lock);
	if (!t) {
		r = HV_VCPU_NO_SUCH;
	} else if (t->state != VCPU_OFF) {
		r = HV_VCPU_ALREADY_ON;
	} else {
		/* Off means put (hv_vm_vcpu_stop): no CPU holds its context, so it may be rewritten. */
		hv_arch_vcpu_restart(t, entry, arg);
		__atomic_store_n(&t->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
		/* Its CPU may be asleep in hv_arch_idle: wake it now, not at its next tick. */
		if (t->pcpu != this_cpu()->index)
			hv_arch_kick(t->pcpu);
	}
	spin_unlock(&vm->lock);
	return r;
}

void hv_vm_vcpu_stop(struct vcpu *v, const char *why)
{
	struct hv_vm *vm = v->vm;
	bool all_off = true;

	vcpu_put_current();
	spin_lock(&vm->lock);
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		all_off &= vm->vcpus[i].state == VCPU_OFF;
	spin_unlock(&vm->lock);
	/* Every vCPU is off, so none can start another in between. */
	if (all_off)
		hv_vm_power_off(vm, why);
}
