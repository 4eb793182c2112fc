/* SPDX-License-Identifier: MIT */
/*
 * vmcfg_vm_create and vmcfg_vm_destroy: the order of the build steps and the one
 * unwinding path every failure takes (vm_teardown), so that a failure at
 * any allocation leaves nothing behind.
 */
#include "internal.h"
#include "../base/libc.h"

/* ---- reporting ---- */

static void log_vm_line(const struct vmcfg_vm *vm, enum vmcfg_log_level level, char *out,
			size_t out_size, const char *fmt, va_list ap)
{
	char msg[200];
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	vmcfg_hal_logf(&vm->hal, level, "vm %llu %s: %s", (unsigned long long)vm->id,
		       vm->name ? vm->name : "?", msg);
	if (out && out_size)
		vmcfg_snprintf(out, out_size, "%s", msg);
}

int vmcfg_vm_fail(const struct vm_build *b, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vm_line(b->vm, VMCFG_LOG_ERROR, b->opts->error, b->opts->error_size, fmt, ap);
	va_end(ap);
	return err;
}

void vmcfg_vm_warn(struct vmcfg_vm *vm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vm_line(vm, VMCFG_LOG_WARN, NULL, 0, fmt, ap);
	va_end(ap);
	vm->warnings++;
}

void vmcfg_vm_log_error(const struct vmcfg_vm *vm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vm_line(vm, VMCFG_LOG_ERROR, NULL, 0, fmt, ap);
	va_end(ap);
}

/* ---- architecture and stage-2 format ---- */


/* arm64 VTCR_EL2.PS takes only these widths; the others take the format's maximum. */
static unsigned default_pa_bits(const struct vmcfg_pt_format *fmt, unsigned ipa_bits)
{
	static const unsigned arm64_pa[] = { 32, 36, 40, 42, 44, 48 };
	if (fmt->kind != VMCFG_PT_ARM64_S2_3L && fmt->kind != VMCFG_PT_ARM64_S2_4L)
		return fmt->max_pa_bits;
	for (size_t i = 0; i < sizeof arm64_pa / sizeof arm64_pa[0]; i++)
		if (arm64_pa[i] >= ipa_bits)
			return arm64_pa[i];
	return 48;
}

static int setup_aspace(struct vm_build *b, const struct vmcfg_hal *hal)
{
	const struct vmcfg_platform *plat = b->sys && b->sys->has_platform ? &b->sys->platform : NULL;
	struct vmcfg_vm *vm = b->vm;

	vm->arch = b->opts->arch != VMCFG_ARCH_UNKNOWN ? b->opts->arch
		   : plat			     ? plat->arch
						     : VMCFG_ARCH_UNKNOWN;
	if (vm->arch == VMCFG_ARCH_UNKNOWN)
		return vmcfg_vm_fail(b, VMCFG_EINVAL,
			       "no guest architecture: give one or a system with a platform");
	unsigned ipa = b->opts->ipa_bits	? b->opts->ipa_bits
		       : plat && plat->ipa_bits ? plat->ipa_bits
						: vmcfg_arch_default_ipa_bits(vm->arch);
	enum vmcfg_pt_kind kind = b->opts->has_pt_kind ? b->opts->pt_kind
						       : vmcfg_arch_pt_kind(vm->arch, ipa);
	const struct vmcfg_pt_format *fmt = vmcfg_pt_format_get(kind);
	if (!fmt)
		return vmcfg_vm_fail(b, VMCFG_EINVAL, "unknown page-table format %d", (int)kind);
	vm->pa_bits = b->opts->pa_bits ? b->opts->pa_bits : default_pa_bits(fmt, ipa);
	int err = vmcfg_aspace_init(&vm->aspace, hal, kind, ipa, b->opts->aspace_options);
	if (err)
		return vmcfg_vm_fail(b, err, "stage-2 tables (%s, %u-bit IPA): %s", fmt->name, ipa,
			       vmcfg_strerror(err));
	return 0;
}

/* ---- create / destroy ---- */

static void vm_teardown(struct vmcfg_vm *vm)
{
	struct vmcfg_allocator alloc = vm->alloc;
	vmcfg_vm_scrub_ram(vm);
	vmcfg_vm_console_release(vm); /* the shadow leaves are not the aspace's */
	vmcfg_aspace_destroy(&vm->aspace);
	vmcfg_vm_bus_release(&vm->bus);
	vmcfg_arena_release(&vm->arena);
	alloc.fn(alloc.ud, vm, sizeof *vm, 0);
}

static int copy_identity(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	const struct vmcfg_vm_config *cfg = b->cfg;
	const char *name = cfg->name ? cfg->name : "";

	vm->name = vmcfg_arena_strndup(&vm->arena, name, strlen(name));
	if (!vm->name)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	vm->irq_mode = cfg->irq_mode;
	return 0;
}

/* The host interrupts routed to the VM (after setup_aspace: they depend on its arch). */
static int copy_spis(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	const struct vmcfg_vm_config *cfg = b->cfg;

	/*
	 * In passthrough mode on aarch64 an explicit passthrough device's SPI
	 * (irq_id) is the VM's too; on riscv64 only the DT's PLIC sources are.
	 */
	size_t extra = 0;
	for (size_t i = 0; cfg->irq_mode == VMCFG_IRQ_PASSTHROUGH && vm->arch == VMCFG_ARCH_AARCH64 &&
			   i < cfg->pt_count; i++)
		extra += vmcfg_irq_id_is_spi(cfg->pt[i].irq_id);
	if (cfg->spi_count || extra) {
		uint32_t *spis = vmcfg_arena_alloc(&vm->arena, (cfg->spi_count + extra) * sizeof *spis,
						   _Alignof(uint32_t));
		size_t n = cfg->spi_count;
		if (!spis)
			return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
		if (n)
			memcpy(spis, cfg->spis, n * sizeof *spis);
		for (size_t i = 0; extra && i < cfg->pt_count; i++) {
			uint32_t id = cfg->pt[i].irq_id;
			size_t k = 0;
			if (!vmcfg_irq_id_is_spi(id))
				continue;
			while (k < n && spis[k] != id - 32)
				k++;
			if (k == n)
				spis[n++] = id - 32;
		}
		vm->spis = spis;
		vm->spi_count = n;
	}
	return 0;
}

static int load_images(struct vm_build *b)
{
	const struct vmcfg_vm_create_opts *o = b->opts;
	const struct vmcfg_vm_image *decl[4] = { &b->cfg->kernel, &b->cfg->bios, &b->cfg->dtb,
					   &b->cfg->ramdisk };
	bool seen[4] = { false, false, false, false };

	for (size_t i = 0; i < o->image_count; i++) {
		const struct vmcfg_vm_image_data *img = &o->images[i];
		unsigned k = (unsigned)img->kind;
		if (k >= 4)
			return vmcfg_vm_fail(b, VMCFG_EINVAL, "image %zu has an unknown kind %u", i, k);
		if (seen[k])
			return vmcfg_vm_fail(b, VMCFG_EINVAL, "%s image given twice", vmcfg_vm_image_kind_names[k]);
		seen[k] = true;
		if (!decl[k]->has_load_gpa)
			return vmcfg_vm_fail(b, VMCFG_EINVAL, "%s image given but the config has no %s_load_addr",
				       vmcfg_vm_image_kind_names[k], vmcfg_vm_image_kind_names[k]);
		int err = vmcfg_vm_load_image_checked(b->vm, b, img->kind, decl[k]->load_gpa, img->data,
						img->len);
		if (err)
			return err;
	}
	return 0;
}

int vmcfg_vm_create(const struct vmcfg_vm_config *cfg, const struct vmcfg_system *sys,
	      const struct vmcfg_hal *hal, const struct vmcfg_vm_create_opts *opts, struct vmcfg_vm **out)
{
	static const struct vmcfg_vm_create_opts no_opts;
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!cfg || !hal || !cfg->alloc.fn)
		return VMCFG_EINVAL;
	if (!opts)
		opts = &no_opts;
	if (opts->error && opts->error_size)
		opts->error[0] = '\0';

	struct vmcfg_vm *vm = cfg->alloc.fn(cfg->alloc.ud, NULL, 0, sizeof *vm);
	if (!vm) {
		if (opts->error && opts->error_size)
			vmcfg_snprintf(opts->error, opts->error_size, "out of memory");
		return VMCFG_ENOMEM;
	}
	memset(vm, 0, sizeof *vm);
	vm->alloc = cfg->alloc;
	vm->id = cfg->id;
	vm->name = cfg->name; /* for messages until the copy is made */
	vm->hal = *hal;
	vm->state = VMCFG_VM_LOADING;
	vm->console = opts->console;
	vm->console_ud = opts->console_ud;
	vmcfg_arena_init(&vm->arena, &cfg->alloc, 4096);
	vmcfg_vm_bus_init(&vm->bus, &cfg->alloc);

	struct vm_build b = { vm, cfg, opts, sys };
	int err = copy_identity(&b);
	if (!err)
		err = setup_aspace(&b, hal);
	if (!err)
		err = copy_spis(&b);
	if (!err)
		err = vmcfg_vm_setup_vcpus(&b);
	if (!err)
		err = vmcfg_vm_setup_memory(&b);
	if (!err)
		err = vmcfg_vm_setup_passthrough(&b);
	if (!err)
		err = vmcfg_vm_setup_devices(&b);
	if (!err)
		err = load_images(&b);
	if (err) {
		vm_teardown(vm);
		return err;
	}
	vm->state = VMCFG_VM_LOADED;
	*out = vm;
	return 0;
}

int vmcfg_vm_destroy(struct vmcfg_vm *vm)
{
	if (!vm)
		return 0;
	if (vm->state == VMCFG_VM_RUNNING || vm->state == VMCFG_VM_SUSPENDED || vm->state == VMCFG_VM_STOPPING)
		return VMCFG_ESTATE;
	if (vm->ivc_attached)
		return VMCFG_EBUSY;
	vm_teardown(vm);
	return 0;
}

/* ---- what the hypervisor calls while the VM runs ---- */

bool vmcfg_vm_read_shadowed(const struct vmcfg_vm *vm, uint64_t gpa)
{
	for (size_t i = 0; i < vm->device_count; i++)
		if (vm->devices[i].read_shadow && gpa >= vm->devices[i].base &&
		    gpa - vm->devices[i].base < VMCFG_PAGE_SIZE)
			return true;
	return false;
}

int vmcfg_vm_mmio_read(struct vmcfg_vm *vm, uint64_t gpa, unsigned width, uint64_t *value)
{
	return vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_MMIO, gpa, width, value);
}

int vmcfg_vm_mmio_write(struct vmcfg_vm *vm, uint64_t gpa, unsigned width, uint64_t value)
{
	return vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_MMIO, gpa, width, value);
}

int vmcfg_vm_stage2_regs(const struct vmcfg_vm *vm, struct vmcfg_pt_regs *out)
{
	return vmcfg_aspace_regs(&vm->aspace, vm->pa_bits, out);
}
