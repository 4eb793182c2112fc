/* SPDX-License-Identifier: MIT */
/*
 * The format's rules beyond a value's type: enumerations, flag bits, and
 * the checks that tie the fields of one record or table together (cpu list
 * lengths, image path and address pairs, DEVICE regions). Checks of meaning
 * (overlaps, alignment, cfg_list length per emu_type, …) belong to the
 * checker stage (vmcfg/check.h), not here.
 */
#include <stddef.h>

#include "decode.h"
#include "names.h"
#include "../base/libc.h"

static bool check_small_enum(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p,
			     uint64_t count, const char *what, const char *valid)
{
	char key[SPEC_PATH_TEXT];
	if (v->v < count)
		return true;
	struct vmcfg_diag *g = vmcfg_spec_report(d, VMCFG_R_BAD_ENUM, v->span, "`%s` is %llu, not a %s",
					   vmcfg_spec_path_text(p, key), (unsigned long long)v->v, what);
	vmcfg_spec_report_hint(d, g, "use %s", valid);
	return false;
}

bool vmcfg_spec_check_vm_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p)
{
	return check_small_enum(d, v, p, 3, "VM type", "0 (host VM), 1 (RTOS) or 2 (Linux)");
}

bool vmcfg_spec_check_map_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p)
{
	return check_small_enum(d, v, p, 3, "mapping type",
				"0 (MapAlloc), 1 (MapIdentical) or 2 (MapReserved)");
}

bool vmcfg_spec_check_emu_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p)
{
	char key[SPEC_PATH_TEXT];
	if (vmcfg_spec_emu_type_info(v->v))
		return true;
	char buf[512];
	struct text known = text_in(buf, sizeof buf);
	for (size_t i = 0; i < vmcfg_spec_emu_type_count; i++)
		vmcfg_spec_text_add(&known, "%s%#x %s", i ? ", " : "", (unsigned)vmcfg_spec_emu_types[i].value,
			      vmcfg_spec_emu_types[i].name);
	struct vmcfg_diag *g = vmcfg_spec_report(d, VMCFG_R_BAD_ENUM, v->span,
					   "`%s` is %#llx, not a known emulated device type",
					   vmcfg_spec_path_text(p, key), (unsigned long long)v->v);
	vmcfg_spec_report_hint(d, g, "use one of %s", buf);
	return false;
}

bool vmcfg_spec_check_mem_flags(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p)
{
	char key[SPEC_PATH_TEXT], value[VMCFG_FMT_BUF], bits[VMCFG_FMT_BUF];
	uint64_t unknown = v->v & ~(uint64_t)VMCFG_MEM_ALL;
	if (!unknown)
		return true;
	struct vmcfg_diag *g = vmcfg_spec_report(
		d, VMCFG_R_BAD_ENUM, v->span, "`%s` is %s, with unknown bits %s",
		vmcfg_spec_path_text(p, key), vmcfg_fmt_hex(value, v->v), vmcfg_fmt_hex(bits, unknown));
	vmcfg_spec_report_hint(d, g,
			 "the flags are READ 0x1, WRITE 0x2, EXECUTE 0x4, USER 0x8, "
			 "DEVICE 0x10, UNCACHED 0x20");
	return false;
}

static void check_cpu_list(struct decoder *d, const struct vmcfg_spec_u64_list *list, const char *name,
			   const struct vmcfg_spec_u64 *cpu_num, const struct path *table)
{
	char key[SPEC_PATH_TEXT];
	if (!list->set || list->count == cpu_num->v)
		return;
	struct path kp = path_key(table, name, strlen(name));
	struct vmcfg_diag *g = vmcfg_spec_report(
		d, VMCFG_R_CPU_LIST_LENGTH, list->span, "`%s` has %zu entr%s but cpu_num is %llu",
		vmcfg_spec_path_text(&kp, key), list->count, list->count == 1 ? "y" : "ies",
		(unsigned long long)cpu_num->v);
	vmcfg_spec_report_related(d, g, cpu_num->span, "cpu_num is set here");
	vmcfg_spec_report_hint(d, g, "give one entry per vCPU");
}

void vmcfg_spec_finish_base(struct decoder *d, const struct spec_type *t, void *rec,
		      const struct vmcfg_toml_value *v, const struct path *p)
{
	const struct vmcfg_vm_spec *spec = rec;
	const struct vmcfg_spec_u64 *cpu_num = &spec->base.cpu_num;
	(void)t;
	(void)v;
	if (!cpu_num->set)
		return;
	if (cpu_num->v == 0) {
		struct vmcfg_diag *g =
			vmcfg_spec_report(d, VMCFG_R_CPU_NUM_ZERO, cpu_num->span, "`base.cpu_num` is 0");
		vmcfg_spec_report_hint(d, g, "a VM needs at least one vCPU");
		return; /* no list can match a count of 0 meaningfully */
	}
	check_cpu_list(d, &spec->base.phys_cpu_ids, "phys_cpu_ids", cpu_num, p);
	check_cpu_list(d, &spec->base.phys_cpu_sets, "phys_cpu_sets", cpu_num, p);
}

/*
 * The optional images: a path needs a load address. An address without a
 * path is an error too, except for the DTB: without dtb_path the hypervisor
 * generates the guest device tree and places it at dtb_load_addr (AxVisor's
 * behaviour, which several real files rely on); and a dtb_path without an
 * address is valid since axvmconfig 0.8 (its loader computes the address).
 * The kernel's path and address are both required keys, reported as
 * missing on their own.
 */
static const struct {
	const char *path, *addr;
	bool addr_alone_ok, path_alone_ok;
} optional_images[] = {
	{ "bios_path", "bios_load_addr", false, false },
	{ "dtb_path", "dtb_load_addr", true, true },
	{ "ramdisk_path", "ramdisk_load_addr", false, false },
};

/* boot_protocol as axvmconfig reads it: its aliases, and the default enable_bios implies. */
enum boot_protocol { BOOT_DIRECT, BOOT_MULTIBOOT, BOOT_UEFI };

static bool str_is(const struct vmcfg_spec_str *v, const char *lit)
{
	size_t n = 0;
	while (lit[n])
		n++;
	return v->len == n && !memcmp(v->s, lit, n);
}

static enum boot_protocol effective_boot_protocol(const struct vmcfg_vm_spec *s)
{
	const struct vmcfg_spec_str *b = &s->kernel.boot_protocol;
	if (!b->set)
		return s->kernel.enable_bios.set && s->kernel.enable_bios.v ? BOOT_MULTIBOOT : BOOT_DIRECT;
	if (str_is(b, "multiboot") || str_is(b, "bios") || str_is(b, "axvm-bios"))
		return BOOT_MULTIBOOT;
	if (str_is(b, "uefi") || str_is(b, "efi"))
		return BOOT_UEFI;
	return BOOT_DIRECT;
}

/*
 * axvmconfig's validate_boot_config: a firmware protocol needs
 * enable_bios = true, direct boot forbids it, and UEFI needs a firmware
 * image and its load address. (Its x86_64-only rule depends on the
 * hypervisor's build target, which a VM file does not name.)
 */
static void check_boot_protocol(struct decoder *d, const struct vmcfg_vm_spec *s)
{
	const struct vmcfg_spec_bool *bios = &s->kernel.enable_bios;
	const struct vmcfg_spec_str *proto = &s->kernel.boot_protocol;
	enum boot_protocol bp = effective_boot_protocol(s);
	bool enabled = bios->set && bios->v;
	struct vmcfg_diag *g = NULL;
	if (!enabled && bp != BOOT_DIRECT) {
		g = vmcfg_spec_report(d, VMCFG_R_BOOT_PROTOCOL, proto->span,
				      "`kernel.boot_protocol = \"%s\"` needs `kernel.enable_bios = true`", proto->s);
		vmcfg_spec_report_hint(d, g, "add `enable_bios = true`, or boot directly");
	} else if (enabled && bp == BOOT_DIRECT) {
		g = vmcfg_spec_report(d, VMCFG_R_BOOT_PROTOCOL, bios->span,
				      "direct boot (`boot_protocol = \"%s\"`) must not set `enable_bios = true`",
				      proto->s);
		vmcfg_spec_report_hint(d, g, "drop `enable_bios`, or choose `multiboot` or `uefi`");
	} else if (enabled && bp == BOOT_UEFI) {
		if (!s->kernel.uefi_firmware_path.set && !s->kernel.bios.path.set) {
			g = vmcfg_spec_report(d, VMCFG_R_BOOT_PROTOCOL, proto->span,
					      "UEFI boot needs `uefi_firmware_path` (or `bios_path`)");
			vmcfg_spec_report_hint(d, g, "add `uefi_firmware_path = \"OVMF.fd\"`");
		} else if (!s->kernel.bios.load_addr.set) {
			g = vmcfg_spec_report(d, VMCFG_R_BOOT_PROTOCOL, proto->span,
					      "UEFI boot needs `bios_load_addr` (where the firmware is loaded)");
			vmcfg_spec_report_hint(d, g, "add `bios_load_addr = <guest physical address>`");
		}
	}
}

void vmcfg_spec_finish_kernel(struct decoder *d, const struct spec_type *t, void *rec,
			const struct vmcfg_toml_value *v, const struct path *p)
{
	char key[SPEC_PATH_TEXT];
	(void)t;
	check_boot_protocol(d, rec); /* the [kernel] table's fields are members of the spec */
	for (size_t i = 0; i < sizeof optional_images / sizeof optional_images[0]; i++) {
		const char *path = optional_images[i].path, *addr = optional_images[i].addr;
		const struct vmcfg_toml_value *pv = vmcfg_toml_table_get(v, path, strlen(path));
		const struct vmcfg_toml_value *av = vmcfg_toml_table_get(v, addr, strlen(addr));
		if (pv && !av && !optional_images[i].path_alone_ok) {
			struct path kp = path_key(p, path, strlen(path));
			struct vmcfg_diag *g = vmcfg_spec_report(
				d, VMCFG_R_PATH_WITHOUT_ADDR, vmcfg_toml_value_span(d->doc, pv),
				"`%s` is given without `%s`", vmcfg_spec_path_text(&kp, key), addr);
			vmcfg_spec_report_hint(d, g, "add `%s = <guest physical address>`", addr);
		} else if (av && !pv && !optional_images[i].addr_alone_ok &&
			   /* bios_load_addr is also where uefi_firmware_path loads */
			   !(i == 0 && ((const struct vmcfg_vm_spec *)rec)->kernel.uefi_firmware_path.set)) {
			struct path kp = path_key(p, addr, strlen(addr));
			struct vmcfg_diag *g = vmcfg_spec_report(
				d, VMCFG_R_PATH_WITHOUT_ADDR, vmcfg_toml_value_span(d->doc, av),
				"`%s` is given without `%s`", vmcfg_spec_path_text(&kp, key), path);
			vmcfg_spec_report_hint(d, g, "add `%s` or remove the address", path);
		}
	}
}

void vmcfg_spec_finish_region(struct decoder *d, const struct spec_type *t, void *rec,
			const struct vmcfg_toml_value *v, const struct path *p)
{
	char key[SPEC_PATH_TEXT], flags[VMCFG_FMT_BUF];
	const struct vmcfg_spec_region *r = rec;
	(void)t;
	(void)v;
	if (!r->flags.set || !(r->flags.v & VMCFG_MEM_DEVICE))
		return;
	struct vmcfg_diag *g =
		vmcfg_spec_report(d, VMCFG_R_DEVICE_REGION, r->flags.span,
			    "memory region `%s` has the DEVICE flag (flags %s); it is not guest "
			    "RAM and is skipped",
			    vmcfg_spec_path_text(p, key), vmcfg_fmt_hex(flags, r->flags.v));
	vmcfg_spec_report_hint(d, g,
			 "declare device memory in `devices.passthrough_devices` or "
			 "`devices.passthrough_addresses`");
}

/* An entry that gives only the required name is a device-tree path ("/", "/pl011@9000000"). */
void vmcfg_spec_finish_pt_device(struct decoder *d, const struct spec_type *t, void *rec,
			   const struct vmcfg_toml_value *v, const struct path *p)
{
	struct vmcfg_spec_pt_device *pt = rec;
	(void)d;
	(void)p;
	pt->is_dt_path = true;
	for (size_t i = 0; i < t->rec.count; i++)
		if (!t->rec.fields[i].required && vmcfg_spec_field_written(t, v, i))
			pt->is_dt_path = false;
}

/* Whether a device-tree path is "/", the whole tree. */
static bool is_root_path(const struct vmcfg_spec_str *path)
{
	return path->len == 1 && path->s[0] == '/';
}

/*
 * The guest_type form's device paths, by axvmconfig's rules: each absolute
 * and not the root (PhysicalDeviceRef::validate), none both passed through
 * and disabled (ConflictingPhysicalDeviceSelection).
 */
static void check_device_refs(struct decoder *d, const struct vmcfg_vm_spec *spec)
{
	const struct vmcfg_spec_device_ref *lists[2] = { spec->devices.pt_refs,
							 spec->devices.disabled };
	const size_t counts[2] = { spec->devices.pt_ref_count, spec->devices.disabled_count };
	const char *names[2] = { "passthrough", "disabled" };

	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l]; i++) {
			const struct vmcfg_spec_str *path = &lists[l][i].path;
			struct vmcfg_diag *g;

			if (!path->set || (path->len > 1 && path->s[0] == '/'))
				continue;
			g = vmcfg_spec_report(d, VMCFG_R_DEVICE_REF, path->span,
					      "`devices.%s[%zu].path` is \"%s\": not a device's absolute "
					      "device-tree path",
					      names[l], i, path->s);
			vmcfg_spec_report_hint(d, g, is_root_path(path)
							     ? "the whole tree is `base.guest_type = "
							       "\"passthrough\"`"
							     : "write it from the root: "
							       "\"/soc/serial@10000000\"");
		}
	for (size_t i = 0; i < counts[0]; i++)
		for (size_t j = 0; j < counts[1]; j++) {
			const struct vmcfg_spec_str *a = &lists[0][i].path, *b = &lists[1][j].path;

			if (!a->set || !b->set || a->len != b->len || memcmp(a->s, b->s, a->len))
				continue;
			struct vmcfg_diag *g = vmcfg_spec_report(d, VMCFG_R_DEVICE_REF, b->span,
								 "`%s` is both passed through and disabled",
								 b->s);
			vmcfg_spec_report_related(d, g, a->span, "passed through here");
			vmcfg_spec_report_hint(d, g, "keep it in one of the two lists");
		}
}

/*
 * dedicated_cpus: the VM's CPUs are taken from the others, so it needs its
 * phys_cpu_sets (validate_cpu_placement; a zero mask is E0220 anyway).
 */
static void check_dedicated(struct decoder *d, const struct vmcfg_vm_spec *spec)
{
	const struct vmcfg_spec_bool *dedicated = &spec->base.dedicated_cpus;

	if (!dedicated->set || !dedicated->v ||
	    (spec->base.phys_cpu_sets.set && spec->base.phys_cpu_sets.count))
		return;
	struct vmcfg_diag *g = vmcfg_spec_report(
		d, VMCFG_R_DEDICATED_CPUS, dedicated->span,
		"`base.dedicated_cpus` is true but `base.phys_cpu_sets` is not given");
	vmcfg_spec_report_hint(d, g, "give each vCPU the mask of the CPUs it keeps");
}

/* What the guest_type form leaves out, as axvmconfig's defaults and the loader fill it in. */
static void apply_guest_form(struct decoder *d, struct vmcfg_vm_spec *spec)
{
	struct vmcfg_arena *a = &spec->arena;
	const struct vmcfg_spec_str *type = &spec->base.guest_type;
	bool passthrough = type->set && type->len == 11 && !memcmp(type->s, "passthrough", 11);
	bool root_written = false; /* passthrough_devices = [["/"]] already */

	for (size_t i = 0; i < spec->devices.pt_count; i++)
		root_written |= spec->devices.pt[i].is_dt_path && is_root_path(&spec->devices.pt[i].name);
	size_t n_pt = spec->devices.pt_count + spec->devices.pt_ref_count +
		      (passthrough && !root_written);
	size_t n_ex = spec->devices.excluded_count + spec->devices.disabled_count;

	if (!spec->base.vm_type.set)
		spec->base.vm_type = (struct vmcfg_spec_u64){ .v = VMCFG_VM_RTOS, .set = true };
	spec->kernel.regions_set = true;
	/* AxVisor's loader: an image address left out is the first region's when that is identity-mapped. */
	uint64_t base = spec->kernel.region_count && spec->kernel.regions[0].map_type.set &&
					spec->kernel.regions[0].map_type.v == VMCFG_MAP_IDENTICAL
				? spec->kernel.regions[0].gpa.v
				: 0;
	if (!spec->kernel.entry_point.set)
		spec->kernel.entry_point = (struct vmcfg_spec_u64){ .v = base, .set = true };
	if (!spec->kernel.kernel.load_addr.set)
		spec->kernel.kernel.load_addr = (struct vmcfg_spec_u64){ .v = base, .set = true };
	spec->devices.emu_set = true;
	if (spec->devices.irq_mode_span.line == 0)
		spec->devices.irq_mode = passthrough ? VMCFG_IRQ_PASSTHROUGH : VMCFG_IRQ_EMU;

	/* devices.passthrough, and for a passthrough guest the whole tree, as DT-path entries. */
	struct vmcfg_spec_pt_device *pt =
		n_pt ? vmcfg_arena_zalloc(a, n_pt * sizeof *pt, _Alignof(struct vmcfg_spec_pt_device))
		     : NULL;
	struct vmcfg_spec_excluded *ex =
		n_ex ? vmcfg_arena_zalloc(a, n_ex * sizeof *ex, _Alignof(struct vmcfg_spec_excluded))
		     : NULL;
	if ((n_pt && !pt) || (n_ex && !ex)) {
		d->err = VMCFG_ENOMEM;
		return;
	}
	size_t k = spec->devices.pt_count;
	if (k)
		memcpy(pt, spec->devices.pt, k * sizeof *pt);
	for (size_t i = 0; i < spec->devices.pt_ref_count; i++, k++)
		pt[k] = (struct vmcfg_spec_pt_device){ .name = spec->devices.pt_refs[i].path,
						       .is_dt_path = true,
						       .implied = true,
						       .span = spec->devices.pt_refs[i].span };
	if (passthrough && !root_written)
		pt[k++] = (struct vmcfg_spec_pt_device){
			.name = { .s = "/", .len = 1, .set = true, .span = spec->base.guest_type.span },
			.is_dt_path = true,
			.implied = true,
			.span = spec->base.guest_type.span,
		};
	spec->devices.pt = pt;
	spec->devices.pt_count = k;
	spec->devices.pt_set = true;

	/* devices.disabled as excluded_devices entries of one path each. */
	k = spec->devices.excluded_count;
	if (k)
		memcpy(ex, spec->devices.excluded, k * sizeof *ex);
	for (size_t i = 0; i < spec->devices.disabled_count; i++, k++)
		ex[k] = (struct vmcfg_spec_excluded){ .paths = &spec->devices.disabled[i].path,
						      .count = 1,
						      .implied = true,
						      .span = spec->devices.disabled[i].span };
	if (k) {
		spec->devices.excluded = ex;
		spec->devices.excluded_count = k;
		spec->devices.excluded_set = true;
	}
}

void vmcfg_spec_finish_file(struct decoder *d, const struct spec_type *t, void *rec,
			    const struct vmcfg_toml_value *v, const struct path *p)
{
	struct vmcfg_vm_spec *spec = rec;
	(void)t;
	(void)v;
	(void)p;
	check_device_refs(d, spec);
	check_dedicated(d, spec);
	if (spec->guest_form)
		apply_guest_form(d, spec);
}
