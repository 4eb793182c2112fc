/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/config: conversion of hand-built specs (decode is not
 * needed), the vCPU affinity contract, the runtime operations with the
 * reference's defects as regression tests, the JSON dump, and clean
 * unwinding at every allocation point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/config.h"
#include "vmcfg/host.h"

/* --- building specs by hand --- */

static struct vmcfg_spec_u64 u(uint64_t v)
{
	return (struct vmcfg_spec_u64){ .v = v, .set = true };
}

static struct vmcfg_spec_str str(const char *s)
{
	return (struct vmcfg_spec_str){ .s = s, .len = strlen(s), .set = true };
}

static struct vmcfg_spec_u64_list list(struct vmcfg_spec_u64 *items, size_t n)
{
	return (struct vmcfg_spec_u64_list){ .items = items, .count = n, .set = true };
}

/* A spec that uses every field, and the storage its arrays point into. */
struct fixture {
	struct vmcfg_vm_spec spec;
	struct vmcfg_spec_u64 ids[3], sets[3];
	struct vmcfg_spec_region regions[3];
	struct vmcfg_spec_u64 gicr_cfg[3];
	struct vmcfg_spec_emu_device emu[2];
	struct vmcfg_spec_pt_device pt[2];
	struct vmcfg_spec_pt_address pt_addresses[1];
	struct vmcfg_spec_str excl_a[2], excl_b[1];
	struct vmcfg_spec_excluded excluded[2];
};

static void region(struct vmcfg_spec_region *r, uint64_t gpa, uint64_t size, uint64_t flags,
		   uint64_t map_type)
{
	*r = (struct vmcfg_spec_region){ .gpa = u(gpa), .size = u(size), .flags = u(flags),
				   .map_type = u(map_type) };
}

static void full_spec(struct fixture *f)
{
	struct vmcfg_vm_spec *s = &f->spec;
	memset(f, 0, sizeof *f);

	s->base.id = u(1);
	s->base.name = str("linux-qemu");
	s->base.vm_type = u(VMCFG_VM_LINUX);
	s->base.cpu_num = u(2);
	f->ids[0] = u(0x100);
	f->ids[1] = u(0x101);
	s->base.phys_cpu_ids = list(f->ids, 2);
	f->sets[0] = u(0x1);
	f->sets[1] = u(0x6);
	s->base.phys_cpu_sets = list(f->sets, 2);

	s->kernel.entry_point = u(0x80200000);
	s->kernel.kernel.path = str("linux.bin");
	s->kernel.kernel.load_addr = u(0x80200000);
	s->kernel.bios.path = str("fw.bin"); /* a path without an address is kept as is */
	s->kernel.dtb.path = str("linux.dtb");
	s->kernel.dtb.load_addr = u(0x82000000);
	s->kernel.image_location = str("memory");
	s->kernel.cmdline = str("console=ttyAMA0");
	s->kernel.disk_path = str("disk.img");
	region(&f->regions[0], 0x80000000, 0x10000000, 0x7, VMCFG_MAP_IDENTICAL);
	region(&f->regions[1], 0x09000000, 0x1000, 0x13, VMCFG_MAP_RESERVED); /* DEVICE */
	region(&f->regions[2], 0x40000000, 0x100000, 0xf, VMCFG_MAP_ALLOC);
	s->kernel.regions = f->regions;
	s->kernel.region_count = 3;
	s->kernel.regions_set = true;

	f->emu[0] = (struct vmcfg_spec_emu_device){ .name = str("gicd"), .base_gpa = u(0x08000000),
					      .length = u(0x10000), .irq_id = u(0),
					      .emu_type = u(VMCFG_EMU_GPPT_DISTRIBUTOR),
					      .cfg_list = list(NULL, 0) };
	f->gicr_cfg[0] = u(2);
	f->gicr_cfg[1] = u(0x20000);
	f->gicr_cfg[2] = u(0);
	f->emu[1] = (struct vmcfg_spec_emu_device){ .name = str("gicr"), .base_gpa = u(0x080a0000),
					      .length = u(0x40000), .irq_id = u(0),
					      .emu_type = u(VMCFG_EMU_GPPT_REDISTRIBUTOR),
					      .cfg_list = list(f->gicr_cfg, 3) };
	s->devices.emu = f->emu;
	s->devices.emu_count = 2;
	s->devices.emu_set = true;
	/* A name alone is a device-tree path; the optional fields mean 0. */
	f->pt[0] = (struct vmcfg_spec_pt_device){ .name = str("/pl011@9000000"), .is_dt_path = true };
	f->pt[1] = (struct vmcfg_spec_pt_device){ .name = str("rtc"), .base_gpa = u(0x09010000),
					    .base_hpa = u(0x19010000), .length = u(0x1000),
					    .irq_id = u(0x22) };
	s->devices.pt = f->pt;
	s->devices.pt_count = 2;
	s->devices.pt_set = true;
	s->devices.irq_mode = VMCFG_IRQ_PASSTHROUGH;
	f->excl_a[0] = str("/a");
	f->excl_a[1] = str("/b");
	f->excl_b[0] = str("/c");
	f->excluded[0] = (struct vmcfg_spec_excluded){ .paths = f->excl_a, .count = 2 };
	f->excluded[1] = (struct vmcfg_spec_excluded){ .paths = f->excl_b, .count = 1 };
	s->devices.excluded = f->excluded;
	s->devices.excluded_count = 2;
	f->pt_addresses[0] = (struct vmcfg_spec_pt_address){ .gpa = u(0x0a000000), .length = u(0x4000) };
	s->devices.pt_addresses = f->pt_addresses;
	s->devices.pt_address_count = 1;
}

/* Only what is required: no cpu lists, no optional image, no device. */
static void minimal_spec(struct fixture *f)
{
	struct vmcfg_vm_spec *s = &f->spec;
	memset(f, 0, sizeof *f);
	s->base.id = u(7);
	s->base.name = str("rtos");
	s->base.vm_type = u(VMCFG_VM_RTOS);
	s->base.cpu_num = u(3);
	s->kernel.entry_point = u(0x40080000);
	s->kernel.kernel.path = str("rtos.bin");
	s->kernel.kernel.load_addr = u(0x40080000);
	s->kernel.regions_set = true;
	s->devices.emu_set = true;
	s->devices.pt_set = true;
}

/* A config without regions or devices, to exercise the operations on. */
static struct vmcfg_vm_config *empty_config(const struct vmcfg_allocator *a)
{
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	minimal_spec(&f);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, a, &cfg), 0);
	return cfg;
}

/* --- conversion --- */

static void test_convert_every_field(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	(void)state;

	full_spec(&f);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(cfg->id, 1);
	assert_string_equal(cfg->name, "linux-qemu");
	assert_ptr_not_equal(cfg->name, f.spec.base.name.s); /* the config owns its strings */
	assert_int_equal(cfg->vm_type, VMCFG_VM_LINUX);
	assert_int_equal(cfg->cpu_num, 2);
	assert_int_equal(cfg->phys_cpu_ids[0], 0x100);
	assert_int_equal(cfg->phys_cpu_ids[1], 0x101);
	assert_int_equal(cfg->phys_cpu_sets[0], 0x1);
	assert_int_equal(cfg->phys_cpu_sets[1], 0x6);
	assert_int_equal(cfg->bsp_entry, 0x80200000);
	assert_int_equal(cfg->ap_entry, 0x80200000);

	assert_true(cfg->kernel.present);
	assert_string_equal(cfg->kernel.path, "linux.bin");
	assert_true(cfg->kernel.has_load_gpa);
	assert_int_equal(cfg->kernel.load_gpa, 0x80200000);
	assert_true(cfg->bios.present);
	assert_string_equal(cfg->bios.path, "fw.bin");
	assert_false(cfg->bios.has_load_gpa);
	assert_true(cfg->dtb.present);
	assert_string_equal(cfg->dtb.path, "linux.dtb");
	assert_int_equal(cfg->dtb.load_gpa, 0x82000000);
	assert_false(cfg->ramdisk.present);
	assert_null(cfg->ramdisk.path);
	assert_int_equal(cfg->image_location, VMCFG_IMAGE_MEMORY);
	assert_string_equal(cfg->cmdline, "console=ttyAMA0");
	assert_string_equal(cfg->disk_path, "disk.img");

	/* Every region, the DEVICE one included (vmcfg_vm_create skips it). */
	assert_int_equal(cfg->region_count, 3);
	assert_int_equal(cfg->regions[0].gpa, 0x80000000);
	assert_int_equal(cfg->regions[0].size, 0x10000000);
	assert_int_equal(cfg->regions[0].flags, 0x7);
	assert_int_equal(cfg->regions[0].map_type, VMCFG_MAP_IDENTICAL);
	assert_int_equal(cfg->regions[1].flags, 0x13);
	assert_int_equal(cfg->regions[1].map_type, VMCFG_MAP_RESERVED);
	assert_int_equal(cfg->regions[2].map_type, VMCFG_MAP_ALLOC);

	assert_int_equal(cfg->emu_count, 2);
	assert_string_equal(cfg->emu[0].name, "gicd");
	assert_int_equal(cfg->emu[0].emu_type, VMCFG_EMU_GPPT_DISTRIBUTOR);
	assert_int_equal(cfg->emu[0].cfg_count, 0);
	assert_null(cfg->emu[0].cfg_list);
	assert_string_equal(cfg->emu[1].name, "gicr");
	assert_int_equal(cfg->emu[1].base_gpa, 0x080a0000);
	assert_int_equal(cfg->emu[1].length, 0x40000);
	assert_int_equal(cfg->emu[1].irq_id, 0);
	assert_int_equal(cfg->emu[1].cfg_count, 3);
	assert_int_equal(cfg->emu[1].cfg_list[0], 2);
	assert_int_equal(cfg->emu[1].cfg_list[1], 0x20000);
	assert_int_equal(cfg->emu[1].cfg_list[2], 0);

	assert_int_equal(cfg->pt_count, 2);
	assert_string_equal(cfg->pt[0].name, "/pl011@9000000");
	assert_int_equal(cfg->pt[0].base_gpa, 0);
	assert_int_equal(cfg->pt[0].base_hpa, 0);
	assert_int_equal(cfg->pt[0].length, 0);
	assert_int_equal(cfg->pt[0].irq_id, 0);
	assert_string_equal(cfg->pt[1].name, "rtc");
	assert_int_equal(cfg->pt[1].base_gpa, 0x09010000);
	assert_int_equal(cfg->pt[1].base_hpa, 0x19010000);
	assert_int_equal(cfg->pt[1].length, 0x1000);
	assert_int_equal(cfg->pt[1].irq_id, 0x22);

	assert_int_equal(cfg->pt_address_count, 1);
	assert_int_equal(cfg->pt_addresses[0].gpa, 0x0a000000);
	assert_int_equal(cfg->pt_addresses[0].length, 0x4000);
	assert_int_equal(cfg->excluded_count, 3); /* [["/a", "/b"], ["/c"]] flattened */
	assert_string_equal(cfg->excluded[0], "/a");
	assert_string_equal(cfg->excluded[1], "/b");
	assert_string_equal(cfg->excluded[2], "/c");
	assert_int_equal(cfg->spi_count, 0);
	assert_int_equal(cfg->irq_mode, VMCFG_IRQ_PASSTHROUGH);

	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

static void test_convert_defaults(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	(void)state;

	minimal_spec(&f);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_null(cfg->phys_cpu_ids);
	assert_null(cfg->phys_cpu_sets);
	assert_false(cfg->bios.present);
	assert_false(cfg->dtb.present);
	assert_int_equal(cfg->image_location, VMCFG_IMAGE_FS);
	assert_null(cfg->cmdline);
	assert_null(cfg->disk_path);
	assert_int_equal(cfg->region_count + cfg->emu_count + cfg->pt_count, 0);
	assert_int_equal(cfg->pt_address_count + cfg->excluded_count + cfg->spi_count, 0);
	assert_int_equal(cfg->irq_mode, VMCFG_IRQ_NONE);
	vmcfg_vm_config_free(cfg);

	f.spec.kernel.image_location = str("fs");
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(cfg->image_location, VMCFG_IMAGE_FS);
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_config_free(NULL);
	assert_int_equal(st.in_use, 0);
}

/* Breaks f in way `which`; false when there are no more ways. */
static bool break_spec(struct fixture *f, int which)
{
	struct vmcfg_vm_spec *s = &f->spec;
	switch (which) {
	case 0: s->base.id.set = false; break;
	case 1: s->base.name.set = false; break;
	case 2: s->base.vm_type.set = false; break;
	case 3: s->base.vm_type = u(1ull << 32); break;
	case 4: s->base.cpu_num.set = false; break;
	case 5: s->base.cpu_num = u(0); break;
	case 6: s->base.cpu_num = u(1ull << 31); break;
	case 7: f->ids[1].set = false; break;
	case 8: f->sets[0].set = false; break;
	case 9: s->kernel.entry_point.set = false; break;
	case 10: s->kernel.kernel.path.set = false; break;
	case 11: s->kernel.kernel.load_addr.set = false; break;
	case 12: s->kernel.image_location = str("flash"); break;
	case 13: s->kernel.image_location = str("f"); break;
	case 14: s->kernel.regions_set = false; break;
	case 15: f->regions[0].gpa.set = false; break;
	case 16: f->regions[1].size.set = false; break;
	case 17: f->regions[2].flags.set = false; break;
	case 18: f->regions[2].map_type.set = false; break;
	case 19: f->regions[2].map_type = u(3); break;
	case 20: f->regions[0].flags = u(1ull << 32); break;
	case 21: region(&f->regions[0], UINT64_MAX - 0xfff, 0x1001, 0x7, 0); break; /* wraps */
	case 22: s->devices.emu_set = false; break;
	case 23: s->devices.pt_set = false; break;
	case 24: f->emu[1].name.set = false; break;
	case 25: f->emu[1].base_gpa.set = false; break;
	case 26: f->emu[1].length.set = false; break;
	case 27: f->emu[1].irq_id.set = false; break;
	case 28: f->emu[1].emu_type = u(1ull << 32); break;
	case 29: f->emu[0].cfg_list.set = false; break;
	case 30: f->gicr_cfg[2].set = false; break;
	case 31: f->pt[1].name.set = false; break;
	case 32: f->pt[1].irq_id = u(1ull << 32); break;
	case 33: f->pt_addresses[0].gpa.set = false; break;
	case 34: f->pt_addresses[0].length.set = false; break;
	case 35: f->excl_a[1].set = false; break;
	case 36: s->devices.irq_mode = (enum vmcfg_irq_mode)3; break;
	default: return false;
	}
	return true;
}

static void test_convert_refuses_incomplete_spec(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct fixture f;
	struct vmcfg_vm_config sentinel, *cfg;
	int which;
	(void)state;

	for (which = 0;; which++) {
		full_spec(&f);
		if (!break_spec(&f, which))
			break;
		cfg = &sentinel; /* must be reset to NULL */
		if (vmcfg_vm_config_from_spec(&f.spec, &a, &cfg) != VMCFG_EINVALID)
			fail_msg("break_spec case %d was not refused", which);
		assert_null(cfg);
	}
	assert_int_equal(which, 37);
	assert_int_equal(st.calls, 0); /* refused before allocating anything */

	full_spec(&f);
	assert_int_equal(vmcfg_vm_config_from_spec(NULL, &a, &cfg), VMCFG_EINVAL);
	assert_null(cfg);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, NULL, &cfg), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, NULL), VMCFG_EINVAL);
}

/* phys_cpu_ids / phys_cpu_sets must have exactly cpu_num entries. */
static void test_convert_cpu_list_length(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	(void)state;

	for (size_t n = 0; n <= 3; n++) {
		int want = n == 2 ? 0 : VMCFG_EINVALID; /* cpu_num is 2 */
		full_spec(&f);
		f.ids[2] = u(0x102);
		f.spec.base.phys_cpu_ids.count = n;
		assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), want);
		vmcfg_vm_config_free(cfg);

		full_spec(&f);
		f.sets[2] = u(0x8);
		f.spec.base.phys_cpu_sets.count = n;
		assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), want);
		vmcfg_vm_config_free(cfg);
	}
	assert_int_equal(st.in_use, 0);
}

/* --- vCPU affinity: vCPU i → (i, phys_cpu_sets[i] or any, phys_cpu_ids[i] or i) --- */

static void test_affinity(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_vcpu_affinity out[3];
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	(void)state;

	full_spec(&f); /* ids and sets */
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(vmcfg_vm_config_vcpu_affinities(cfg, out, 3), 2);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(out[i].vcpu_id, i);
		assert_true(out[i].has_mask);
		assert_int_equal(out[i].pcpu_mask, i == 0 ? 0x1 : 0x6);
		assert_int_equal(out[i].phys_id, 0x100 + i);
	}
	assert_int_equal(vmcfg_vm_config_vcpu_affinities(cfg, out, 1), VMCFG_ENOSPC);
	vmcfg_vm_config_free(cfg);

	full_spec(&f); /* ids without sets: any pCPU */
	f.spec.base.phys_cpu_sets.set = false;
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(vmcfg_vm_config_vcpu_affinities(cfg, out, 2), 2);
	assert_false(out[1].has_mask);
	assert_int_equal(out[1].phys_id, 0x101);
	vmcfg_vm_config_free(cfg);

	full_spec(&f); /* sets without ids: physical id i */
	f.spec.base.phys_cpu_ids.set = false;
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(vmcfg_vm_config_vcpu_affinities(cfg, out, 2), 2);
	assert_true(out[1].has_mask);
	assert_int_equal(out[1].pcpu_mask, 0x6);
	assert_int_equal(out[1].phys_id, 1);
	vmcfg_vm_config_free(cfg);

	minimal_spec(&f); /* neither */
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(vmcfg_vm_config_vcpu_affinities(cfg, out, 3), 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(out[i].vcpu_id, i);
		assert_false(out[i].has_mask);
		assert_int_equal(out[i].phys_id, i);
	}
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

/* --- runtime operations --- */

static void test_pt_devices(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_config *cfg = empty_config(&a);
	char name[] = "uart";
	struct vmcfg_vm_pt_device uart = { name, 0x9000000, 0x9000000, 0x1000, 33 };
	struct vmcfg_vm_pt_device rtc = { "rtc", 0x9010000, 0x9010000, 0x1000, 34 };
	struct vmcfg_vm_pt_device gpio = { "gpio", 0x9030000, 0x9030000, 0x1000, 39 };
	struct vmcfg_vm_pt_device anon = { NULL, 0x1000, 0x1000, 0x1000, 0 };
	(void)state;

	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &uart), 0);
	name[0] = 'X'; /* the name was copied */
	assert_string_equal(cfg->pt[0].name, "uart");
	uart.name = "uart";
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &rtc), 0);
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &uart), 0);
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &gpio), 0);
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &anon), 0);
	assert_int_equal(cfg->pt_count, 5);

	/* Equal means every field: another irq or a NULL name is not a match. */
	struct vmcfg_vm_pt_device other = uart;
	other.irq_id = 0;
	assert_int_equal(vmcfg_vm_config_remove_pt_device(cfg, &other), 0);
	other = uart;
	other.name = NULL;
	assert_int_equal(vmcfg_vm_config_remove_pt_device(cfg, &other), 0);
	assert_int_equal(cfg->pt_count, 5);

	/*
	 * Regression: the reference kept the match and dropped the others.
	 * Both uart entries go; rtc, gpio and the unnamed one stay in order.
	 */
	assert_int_equal(vmcfg_vm_config_remove_pt_device(cfg, &uart), 2);
	assert_int_equal(cfg->pt_count, 3);
	assert_string_equal(cfg->pt[0].name, "rtc");
	assert_string_equal(cfg->pt[1].name, "gpio");
	assert_null(cfg->pt[2].name);
	assert_int_equal(cfg->pt[2].base_gpa, 0x1000);
	assert_int_equal(vmcfg_vm_config_remove_pt_device(cfg, &anon), 1);
	assert_int_equal(vmcfg_vm_config_remove_pt_device(cfg, &anon), 0);
	assert_int_equal(cfg->pt_count, 2);

	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

static void test_spis(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_config *cfg = empty_config(&a);
	(void)state;

	for (uint32_t spi = 32; spi < 40; spi++)
		assert_int_equal(vmcfg_vm_config_add_spi(cfg, spi), 0);
	assert_int_equal(vmcfg_vm_config_add_spi(cfg, 33), 0); /* no duplicate */
	assert_int_equal(vmcfg_vm_config_add_spi(cfg, 39), 0);
	assert_int_equal(cfg->spi_count, 8);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(cfg->spis[i], 32 + i);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

static void add(struct vmcfg_vm_config *cfg, uint64_t gpa, uint64_t size, uint32_t flags)
{
	struct vmcfg_vm_mem_region r = { gpa, size, flags, VMCFG_MAP_ALLOC };
	assert_int_equal(vmcfg_vm_config_add_region(cfg, &r), 0);
}

static void test_add_region(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_config *cfg = empty_config(&a);
	struct vmcfg_vm_mem_region wraps = { UINT64_MAX - 0xfff, 0x1001, 0x7, VMCFG_MAP_ALLOC };
	(void)state;

	add(cfg, 0x40000000, 0x1000, 0x7);
	add(cfg, UINT64_MAX - 0xfff, 0x1000, 0x7); /* ends exactly at 2^64 */
	assert_int_equal(vmcfg_vm_config_add_region(cfg, &wraps), VMCFG_ERANGE);
	wraps.gpa = 2; /* [2, 2^64 + 1) */
	wraps.size = UINT64_MAX;
	assert_int_equal(vmcfg_vm_config_add_region(cfg, &wraps), VMCFG_ERANGE);
	assert_int_equal(cfg->region_count, 2);
	assert_int_equal(cfg->regions[1].gpa, UINT64_MAX - 0xfff);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

static void test_contains_range(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_config *cfg = empty_config(&a);
	(void)state;

	assert_false(vmcfg_vm_config_contains_range(cfg, 0, 0)); /* no region at all */

	/* Regression: a range across adjacent regions, listed out of order. */
	add(cfg, 0x3000, 0x1000, 0x7);
	add(cfg, 0x1000, 0x1000, 0x7);
	add(cfg, 0x2000, 0x1000, 0x7);
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x1000, 0x3000));
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x1800, 0x2000));
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x2fff, 2));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x1000, 0x3001));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0xfff, 2));

	/* Size 0: contained when start lies in a region (the end is exclusive). */
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x1000, 0));
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x3fff, 0));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x4000, 0));

	/* Overlapping regions; a gap between regions is not covered. */
	add(cfg, 0x14000, 0x8000, 0x7);
	add(cfg, 0x10000, 0x8000, 0x7);
	assert_true(vmcfg_vm_config_contains_range(cfg, 0x10000, 0xc000));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x3000, 0xd000));

	/* A DEVICE region is not guest memory. */
	add(cfg, 0x4000, 0x1000, VMCFG_MEM_DEVICE | 0x3);
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x4000, 1));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x3000, 0x2000));

	/*
	 * Regression: near 2^64 the reference's start + size overflowed. A
	 * region may end exactly at 2^64; a range past it is never contained.
	 */
	add(cfg, UINT64_MAX - 0x1fff, 0x1000, 0x7);
	add(cfg, UINT64_MAX - 0xfff, 0x1000, 0x7);
	assert_true(vmcfg_vm_config_contains_range(cfg, UINT64_MAX - 0x1fff, 0x2000));
	assert_true(vmcfg_vm_config_contains_range(cfg, UINT64_MAX, 1));
	assert_true(vmcfg_vm_config_contains_range(cfg, UINT64_MAX, 0));
	assert_false(vmcfg_vm_config_contains_range(cfg, UINT64_MAX, 2));
	assert_false(vmcfg_vm_config_contains_range(cfg, UINT64_MAX - 0xf, 0x11));
	assert_false(vmcfg_vm_config_contains_range(cfg, 0x1000, UINT64_MAX));
	assert_false(vmcfg_vm_config_contains_range(cfg, UINT64_MAX - 0x2000, 0x10));
	add(cfg, 0, UINT64_MAX, 0x7); /* everything but the last byte */
	assert_true(vmcfg_vm_config_contains_range(cfg, 0, UINT64_MAX));
	assert_true(vmcfg_vm_config_contains_range(cfg, 1, UINT64_MAX));

	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

/* --- JSON --- */

struct text {
	char data[8192];
	size_t len;
};

static void text_write(void *ud, const char *s, size_t len)
{
	struct text *t = ud;
	assert_true(len < sizeof t->data - t->len);
	memcpy(t->data + t->len, s, len);
	t->len += len;
	t->data[t->len] = '\0';
}

static const char *to_json(const struct vmcfg_vm_config *cfg, struct text *t)
{
	struct vmcfg_writer w = { text_write, t };
	t->len = 0;
	t->data[0] = '\0';
	vmcfg_vm_config_emit_json(cfg, &w);
	return t->data;
}

static const char expected_json[] =
	"{\n"
	"  \"id\": 1,\n"
	"  \"name\": \"linux-qemu\",\n"
	"  \"vm_type\": 2,\n"
	"  \"cpu_num\": 2,\n"
	"  \"bsp_entry\": \"0x80200000\",\n"
	"  \"ap_entry\": \"0x80200000\",\n"
	"  \"vcpus\": [\n"
	"    {\n"
	"      \"id\": 0,\n"
	"      \"pcpu_mask\": \"0x1\",\n"
	"      \"phys_id\": \"0x100\"\n"
	"    },\n"
	"    {\n"
	"      \"id\": 1,\n"
	"      \"pcpu_mask\": \"0x6\",\n"
	"      \"phys_id\": \"0x101\"\n"
	"    }\n"
	"  ],\n"
	"  \"images\": {\n"
	"    \"kernel\": {\n"
	"      \"path\": \"linux.bin\",\n"
	"      \"load_gpa\": \"0x80200000\"\n"
	"    },\n"
	"    \"bios\": {\n"
	"      \"path\": \"fw.bin\",\n"
	"      \"load_gpa\": null\n"
	"    },\n"
	"    \"dtb\": {\n"
	"      \"path\": \"linux.dtb\",\n"
	"      \"load_gpa\": \"0x82000000\"\n"
	"    },\n"
	"    \"ramdisk\": null\n"
	"  },\n"
	"  \"image_location\": \"memory\",\n"
	"  \"cmdline\": \"console=ttyAMA0\",\n"
	"  \"disk_path\": \"disk.img\",\n"
	"  \"memory_regions\": [\n"
	"    {\n"
	"      \"gpa\": \"0x80000000\",\n"
	"      \"size\": \"0x10000000\",\n"
	"      \"flags\": \"0x7\",\n"
	"      \"map_type\": \"MapIdentical\"\n"
	"    },\n"
	"    {\n"
	"      \"gpa\": \"0x9000000\",\n"
	"      \"size\": \"0x1000\",\n"
	"      \"flags\": \"0x13\",\n"
	"      \"map_type\": \"MapReserved\"\n"
	"    },\n"
	"    {\n"
	"      \"gpa\": \"0x40000000\",\n"
	"      \"size\": \"0x100000\",\n"
	"      \"flags\": \"0xf\",\n"
	"      \"map_type\": \"MapAlloc\"\n"
	"    }\n"
	"  ],\n"
	"  \"emu_devices\": [\n"
	"    {\n"
	"      \"name\": \"gicd\",\n"
	"      \"base_gpa\": \"0x8000000\",\n"
	"      \"length\": \"0x10000\",\n"
	"      \"irq_id\": 0,\n"
	"      \"emu_type\": \"0x21\",\n"
	"      \"cfg_list\": []\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"gicr\",\n"
	"      \"base_gpa\": \"0x80a0000\",\n"
	"      \"length\": \"0x40000\",\n"
	"      \"irq_id\": 0,\n"
	"      \"emu_type\": \"0x20\",\n"
	"      \"cfg_list\": [\n"
	"        \"0x2\",\n"
	"        \"0x20000\",\n"
	"        \"0x0\"\n"
	"      ]\n"
	"    }\n"
	"  ],\n"
	"  \"passthrough_devices\": [\n"
	"    {\n"
	"      \"name\": \"/pl011@9000000\",\n"
	"      \"base_gpa\": \"0x0\",\n"
	"      \"base_hpa\": \"0x0\",\n"
	"      \"length\": \"0x0\",\n"
	"      \"irq_id\": 0\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"rtc\",\n"
	"      \"base_gpa\": \"0x9010000\",\n"
	"      \"base_hpa\": \"0x19010000\",\n"
	"      \"length\": \"0x1000\",\n"
	"      \"irq_id\": 34\n"
	"    }\n"
	"  ],\n"
	"  \"passthrough_addresses\": [\n"
	"    {\n"
	"      \"gpa\": \"0xa000000\",\n"
	"      \"length\": \"0x4000\"\n"
	"    }\n"
	"  ],\n"
	"  \"passthrough_ports\": [],\n"
	"  \"excluded_devices\": [\n"
	"    \"/a\",\n"
	"    \"/b\",\n"
	"    \"/c\"\n"
	"  ],\n"
	"  \"spis\": [\n"
	"    33,\n"
	"    79\n"
	"  ],\n"
	"  \"interrupt_mode\": \"passthrough\"\n"
	"}\n";

static void test_emit_json(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	static struct text t;
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	(void)state;

	full_spec(&f);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_int_equal(vmcfg_vm_config_add_spi(cfg, 33), 0);
	assert_int_equal(vmcfg_vm_config_add_spi(cfg, 79), 0);
	assert_string_equal(to_json(cfg, &t), expected_json);
	vmcfg_vm_config_free(cfg);

	/* Empty lists, absent values, any-CPU affinity, escaped strings, 2^64 - 1. */
	minimal_spec(&f);
	f.spec.base.id = u(UINT64_MAX);
	f.spec.base.name = str("a\"b\\c\n\x01\x1f\xc3\xa9");
	f.spec.base.cpu_num = u(1);
	assert_int_equal(vmcfg_vm_config_from_spec(&f.spec, &a, &cfg), 0);
	assert_string_equal(to_json(cfg, &t),
			    "{\n"
			    "  \"id\": \"18446744073709551615\",\n"
			    "  \"name\": \"a\\\"b\\\\c\\n\\u0001\\u001f\xc3\xa9\",\n"
			    "  \"vm_type\": 1,\n"
			    "  \"cpu_num\": 1,\n"
			    "  \"bsp_entry\": \"0x40080000\",\n"
			    "  \"ap_entry\": \"0x40080000\",\n"
			    "  \"vcpus\": [\n"
			    "    {\n"
			    "      \"id\": 0,\n"
			    "      \"pcpu_mask\": null,\n"
			    "      \"phys_id\": \"0x0\"\n"
			    "    }\n"
			    "  ],\n"
			    "  \"images\": {\n"
			    "    \"kernel\": {\n"
			    "      \"path\": \"rtos.bin\",\n"
			    "      \"load_gpa\": \"0x40080000\"\n"
			    "    },\n"
			    "    \"bios\": null,\n"
			    "    \"dtb\": null,\n"
			    "    \"ramdisk\": null\n"
			    "  },\n"
			    "  \"image_location\": \"fs\",\n"
			    "  \"cmdline\": null,\n"
			    "  \"disk_path\": null,\n"
			    "  \"memory_regions\": [],\n"
			    "  \"emu_devices\": [],\n"
			    "  \"passthrough_devices\": [],\n"
			    "  \"passthrough_addresses\": [],\n"
			    "  \"passthrough_ports\": [],\n"
			    "  \"excluded_devices\": [],\n"
			    "  \"spis\": [],\n"
			    "  \"interrupt_mode\": \"no_irq\"\n"
			    "}\n");
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

/* --- allocation failure at every allocation point --- */

static void test_convert_alloc_failure(void **state)
{
	static char long_cmdline[3000]; /* needs an arena chunk of its own */
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct fixture f;
	struct vmcfg_vm_config *cfg;
	uint64_t fail_at;
	(void)state;

	memset(long_cmdline, 'x', sizeof long_cmdline - 1);
	full_spec(&f);
	f.spec.kernel.cmdline = str(long_cmdline);
	for (fail_at = 1;; fail_at++) {
		st = (struct vmcfg_counting_alloc){ .fail_at = fail_at };
		int rc = vmcfg_vm_config_from_spec(&f.spec, &a, &cfg);
		if (rc == 0)
			break;
		assert_int_equal(rc, VMCFG_ENOMEM);
		assert_null(cfg);
		assert_int_equal(st.in_use, 0);
	}
	/* config, two arena chunks and five arrays: every one was made to fail */
	assert_int_equal(fail_at, 9);
	assert_string_equal(cfg->cmdline, long_cmdline);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

static void test_operations_alloc_failure(void **state)
{
	static char long_name[2000]; /* needs an arena chunk of its own */
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_config *cfg = empty_config(&a);
	struct vmcfg_vm_pt_device dev = { "uart", 0x9000000, 0x9000000, 0x1000, 33 };
	struct vmcfg_vm_mem_region ram = { 0x40000000, 0x1000, 0x7, VMCFG_MAP_ALLOC };
	(void)state;

	st.fail_at = st.calls + 1; /* growing the array fails */
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &dev), VMCFG_ENOMEM);
	assert_int_equal(cfg->pt_count, 0);
	memset(long_name, 'n', sizeof long_name - 1);
	dev.name = long_name;
	st.fail_at = st.calls + 2; /* the array grows, copying the name fails */
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &dev), VMCFG_ENOMEM);
	assert_int_equal(cfg->pt_count, 0);
	st.fail_at = st.calls + 1;
	assert_int_equal(vmcfg_vm_config_add_spi(cfg, 40), VMCFG_ENOMEM);
	assert_int_equal(cfg->spi_count, 0);
	st.fail_at = st.calls + 1;
	assert_int_equal(vmcfg_vm_config_add_region(cfg, &ram), VMCFG_ENOMEM);
	assert_int_equal(cfg->region_count, 0);

	st.fail_at = 0;
	assert_int_equal(vmcfg_vm_config_add_pt_device(cfg, &dev), 0);
	assert_string_equal(cfg->pt[0].name, long_name);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(st.in_use, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_convert_every_field),
		cmocka_unit_test(test_convert_defaults),
		cmocka_unit_test(test_convert_refuses_incomplete_spec),
		cmocka_unit_test(test_convert_cpu_list_length),
		cmocka_unit_test(test_affinity),
		cmocka_unit_test(test_pt_devices),
		cmocka_unit_test(test_spis),
		cmocka_unit_test(test_add_region),
		cmocka_unit_test(test_contains_range),
		cmocka_unit_test(test_emit_json),
		cmocka_unit_test(test_convert_alloc_failure),
		cmocka_unit_test(test_operations_alloc_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
