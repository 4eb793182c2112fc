/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/vm: vmcfg_vm_create per feature, the DESIGN.md defects of the
 * reference as regressions, images, lifecycle, scrubbing, and complete
 * unwinding after a failure at every allocation point.
 */
#include "vm_fixture.h"

#define HOST_BASE 0x8000000000ull /* simulated host RAM, away from every guest address used */
#define HOST_SIZE (64u << 20)

#define RAM16M "memory_regions = [[0x4000_0000, 0x100_0000, 0x7, 0]]\n"
#define NO_DEVICES "emu_devices = []\npassthrough_devices = []\n"

static struct vmcfg_vm *create_ok(struct fixture *f, struct vmcfg_vm_config *cfg,
			    const struct vmcfg_vm_create_opts *o)
{
	struct vmcfg_vm *vm = NULL;
	int err = vmcfg_vm_create(cfg, NULL, &f->hal, o, &vm);
	if (err)
		fprintf(stderr, "vmcfg_vm_create: %s: %s\n", vmcfg_strerror(err), o->error);
	assert_int_equal(err, 0);
	assert_non_null(vm);
	return vm;
}

static int create_err(struct fixture *f, struct vmcfg_vm_config *cfg, const struct vmcfg_vm_create_opts *o)
{
	struct vmcfg_vm *vm = (struct vmcfg_vm *)1;
	size_t frames = f->sim.in_use;
	int err = vmcfg_vm_create(cfg, NULL, &f->hal, o, &vm);
	assert_null(vm);
	assert_int_not_equal(err, 0);
	assert_int_equal(f->sim.in_use, frames); /* nothing left behind */
	return err;
}

static void destroy(struct vmcfg_vm *vm)
{
	assert_int_equal(vmcfg_vm_destroy(vm), 0);
}

/* ---- vCPUs ---- */

static void test_vcpus_aarch64(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f,
		"[base]\nid = 3\nname = \"a\"\nvm_type = 1\ncpu_num = 2\n"
		"phys_cpu_ids = [0x100, 0x1_0000_0201]\nphys_cpu_sets = [2, 4]\n"
		"[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k\"\n"
		"kernel_load_addr = 0x4008_0000\ndtb_path = \"d\"\ndtb_load_addr = 0x4000_0000\n" RAM16M
		"[devices]\n" NO_DEVICES);
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->state, VMCFG_VM_LOADED);
	assert_int_equal(vm->vcpu_count, 2);
	assert_int_equal(vm->vcpus[0].arch_id, 0x80000100ull);
	assert_int_equal(vm->vcpus[1].arch_id, 0x180000201ull);
	assert_int_equal(vm->vcpus[0].regs[0], 0x40000000ull); /* x0 = DTB */
	assert_int_equal(vm->vcpus[0].entry, cfg->bsp_entry);
	assert_int_equal(vm->vcpus[1].entry, cfg->ap_entry);
	assert_true(vm->vcpus[1].has_mask);
	assert_int_equal(vm->vcpus[1].pcpu_mask, 4);
	assert_string_equal(vm->name, "a");
	assert_int_equal(vm->id, 3);
	destroy(vm);
	vmcfg_vm_config_free(cfg);

	/* A physical id with bits outside the MPIDR affinity fields is refused. */
	cfg = fx_config(&f, "[base]\nid = 3\nname = \"a\"\nvm_type = 1\ncpu_num = 1\n"
			    "phys_cpu_ids = [0x1000000]\n"
			    "[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k\"\n"
			    "kernel_load_addr = 0x4008_0000\n" RAM16M "[devices]\n" NO_DEVICES);
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EINVAL);
	assert_non_null(strstr(err, "MPIDR"));
	vmcfg_vm_config_free(cfg);
	assert_int_equal(f.sim.in_use, 0);
	assert_int_equal(f.counts.in_use, 0);
	fx_free(&f);
}

static void test_vcpus_riscv_x86(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f,
		"[base]\nid = 1\nname = \"r\"\nvm_type = 1\ncpu_num = 2\nphys_cpu_ids = [4, 5]\n"
		"[kernel]\nentry_point = 0x4020_0000\nkernel_path = \"k\"\n"
		"kernel_load_addr = 0x4020_0000\ndtb_path = \"d\"\ndtb_load_addr = 0x4100_0000\n"
		"memory_regions = [[0x4000_0000, 0x200_0000, 0x7, 0]]\n[devices]\n" NO_DEVICES);
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.arch = VMCFG_ARCH_RISCV64;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->vcpus[1].arch_id, 5);
	assert_int_equal(vm->vcpus[1].regs[0], 5);           /* a0 = hart id */
	assert_int_equal(vm->vcpus[1].regs[1], 0x41000000); /* a1 = DTB */
	assert_string_equal(vm->aspace.fmt->name, "riscv-sv39x4");
	destroy(vm);

	o.arch = VMCFG_ARCH_X86_64;
	vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->vcpus[0].arch_id, 4);
	assert_int_equal(vm->vcpus[0].regs[0], 0);
	assert_string_equal(vm->aspace.fmt->name, "x86-ept4");
	destroy(vm);

	o.arch = VMCFG_ARCH_UNKNOWN; /* and no platform */
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EINVAL);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

/* ---- memory ---- */

static void test_map_alloc_zeroed(void **state)
{
	struct fixture f;
	char err[256];
	uint8_t buf[4096], zero[4096] = { 0 };
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, true); /* every free frame reads 0xA5 */
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "z", RAM16M, NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	struct vmcfg_aspace_stats st;
	vmcfg_aspace_stats(&vm->aspace, &st);
	assert_int_equal(st.owned_frames, 4096);
	assert_int_equal(f.sim.in_use, st.owned_frames + st.table_pages);
	for (uint64_t off = 0; off < (16u << 20); off += 1u << 20) {
		assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40000000 + off, buf, sizeof buf), 0);
		assert_memory_equal(buf, zero, sizeof buf);
	}
	destroy(vm);

	/*
	 * Deferred: every frame held from creation, each leaf zeroed at its
	 * first touch; a touched page reads zero, and so does an untouched one.
	 */
	o.defer_zeroing = true;
	vm = create_ok(&f, cfg, &o);
	vmcfg_aspace_stats(&vm->aspace, &st);
	assert_int_equal(st.owned_frames, 4096);
	struct vmcfg_translation t;
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x40123000, &t), 0);
	assert_false(t.present);
	assert_int_equal(vmcfg_aspace_fault_in(&vm->aspace, 0x40123000), 0);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x40123000, &t), 0);
	assert_true(t.present);
	for (uint64_t gpa = 0x40123000; gpa < 0x40a00000; gpa += 0x8ed000) {
		assert_int_equal(vmcfg_aspace_read(&vm->aspace, gpa, buf, sizeof buf), 0);
		assert_memory_equal(buf, zero, sizeof buf);
	}
	destroy(vm);
	o.defer_zeroing = false;

	/* Lazy: no frame until touched, and a touched page reads zero too. */
	o.lazy_alloc = true;
	vm = create_ok(&f, cfg, &o);
	vmcfg_aspace_stats(&vm->aspace, &st);
	assert_int_equal(st.owned_frames, 0);
	assert_int_equal(vmcfg_aspace_fault_in(&vm->aspace, 0x40123000), 0);
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40123000, buf, sizeof buf), 0);
	assert_memory_equal(buf, zero, sizeof buf);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(f.sim.in_use, 0);
	fx_free(&f);
}

static void test_map_identical(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_translation t;
	struct vmcfg_aspace_stats st;
	(void)state;
	fx_init(&f, 0x40000000, HOST_SIZE, false);
	/* Inside the simulated RAM: reserved, owned, GPA == HPA. */
	struct vmcfg_vm_config *a = fx_config(&f,
		"[base]\nid = 1\nname = \"a\"\nvm_type = 1\ncpu_num = 1\n"
		"[kernel]\nentry_point = 0x4100_0000\nkernel_path = \"k\"\n"
		"kernel_load_addr = 0x4100_0000\n"
		"memory_regions = [[0x4100_0000, 0x100_0000, 0x7, 1]]\n[devices]\n" NO_DEVICES);
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *va = create_ok(&f, a, &o);
	assert_int_equal(vmcfg_aspace_translate(&va->aspace, 0x41234567, &t), 0);
	assert_int_equal(t.hpa, 0x41234567);
	assert_true(t.owned);
	assert_true(vmcfg_sim_mem_frame_in_use(&f.sim, 0x41234000));
	assert_int_equal(va->warnings, 0);

	/* Owned already (by VM a): refused, never shared, nothing left behind. */
	struct vmcfg_vm_config *b = fx_config(&f,
		"[base]\nid = 2\nname = \"b\"\nvm_type = 1\ncpu_num = 1\n"
		"[kernel]\nentry_point = 0x4180_0000\nkernel_path = \"k\"\n"
		"kernel_load_addr = 0x4180_0000\n"
		"memory_regions = [[0x4180_0000, 0x100_0000, 0x7, 1]]\n[devices]\n" NO_DEVICES);
	assert_int_equal(create_err(&f, b, &o), VMCFG_EBUSY);
	assert_non_null(strstr(err, "owned already"));
	vmcfg_vm_config_free(b);

	/* Outside the simulated RAM: falls back to a linear mapping, warned once, mapped once. */
	fx_clear_log(&f);
	b = fx_config(&f,
		"[base]\nid = 2\nname = \"b\"\nvm_type = 1\ncpu_num = 1\n"
		"[kernel]\nentry_point = 0x8000_0000\nkernel_path = \"k\"\n"
		"kernel_load_addr = 0x8000_0000\n"
		"memory_regions = [[0x8000_0000, 0x4000_0000, 0x7, 1]]\n[devices]\n" NO_DEVICES);
	size_t before = f.sim.in_use;
	struct vmcfg_vm *vb = create_ok(&f, b, &o);
	assert_int_equal(f.warnings, 1);
	assert_int_equal(vb->warnings, 1);
	assert_non_null(strstr(f.log, "outside managed memory"));
	vmcfg_aspace_stats(&vb->aspace, &st);
	assert_int_equal(st.mapped_bytes, 0x40000000ull); /* exactly once */
	assert_int_equal(st.owned_frames, 0);
	assert_int_equal(f.sim.in_use - before, st.table_pages); /* tables only */
	assert_int_equal(vmcfg_aspace_translate(&vb->aspace, 0xbfffffff, &t), 0);
	assert_int_equal(t.hpa, 0xbfffffff);
	assert_false(t.owned);
	destroy(vb);
	destroy(va);
	vmcfg_vm_config_free(a);
	vmcfg_vm_config_free(b);
	assert_int_equal(f.sim.in_use, 0);
	fx_free(&f);
}

static void test_map_reserved_and_device_region(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_translation t;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "r",
		"memory_regions = [[0x4000_0000, 0x100_0000, 0x7, 0], [0x920_0000, 0x2000, 0xf, 2],"
		" [0x1000_0000, 0x1000, 0x13, 0]]\n", NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x9201000, &t), 0);
	assert_int_equal(t.hpa, 0x9201000);
	assert_false(t.owned);
	/* The DEVICE-flagged region is skipped with a warning naming it. */
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x10000000, &t), VMCFG_EFAULT);
	assert_int_equal(vm->warnings, 1);
	assert_non_null(strstr(f.log, "DEVICE"));
	assert_non_null(strstr(f.log, "vm 1 r: "));
	assert_false(vmcfg_vm_range_is_ram(vm, 0x10000000, 1));
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_range_is_ram(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "r",
		"memory_regions = [[0x4100_0000, 0x10_0000, 0x7, 0], [0x4000_0000, 0x100_0000, 0x7, 0]]\n",
		NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_true(vmcfg_vm_range_is_ram(vm, 0x40fff000, 0x2000)); /* spans the two, listed out of order */
	assert_true(vmcfg_vm_range_is_ram(vm, 0x40000000, 0x1100000));
	assert_false(vmcfg_vm_range_is_ram(vm, 0x40000000, 0x1100001));
	assert_false(vmcfg_vm_range_is_ram(vm, 0x3fffffff, 2));
	assert_false(vmcfg_vm_range_is_ram(vm, 0x40000000, 0));
	assert_false(vmcfg_vm_range_is_ram(vm, UINT64_MAX, 2));
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

/* ---- passthrough ---- */

static void test_passthrough_honours_hpa_and_tail(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_translation t;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "p", RAM16M,
		"emu_devices = []\npassthrough_devices = [[\"uart\", 0x0900_0000, 0x1_0900_0000, 0x1000, 0x17],"
		" [\"odd\", 0x0a00_0800, 0x2_0a00_0800, 0x1000]]\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	/* base_hpa honoured (the reference mapped GPA to GPA). */
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x09000010, &t), 0);
	assert_int_equal(t.hpa, 0x109000010ull);
	assert_int_equal(t.flags, VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_DEVICE);
	/* Not page-aligned: every declared byte is mapped, the last one included. */
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x0a0017ff, &t), 0);
	assert_int_equal(t.hpa, 0x20a0017ffull);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x0a000000, &t), 0);
	assert_int_equal(t.hpa, 0x20a000000ull);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x0a002000, &t), VMCFG_EFAULT);
	assert_int_equal(vm->warnings, 1);
	assert_non_null(strstr(f.log, "neighbouring host bytes"));
	assert_int_equal(vm->pt_window_count, 2);
	assert_int_equal(vm->pt_windows[0].hpa, 0x109000000ull);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_passthrough_merge_and_conflict(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	/* Same GPA→HPA offset and overlapping: merged into one window. */
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "p", RAM16M,
		"emu_devices = []\npassthrough_devices = [[\"a\", 0x0900_0000, 0x1900_0000, 0x2000],"
		" [\"b\", 0x0900_1000, 0x1900_1000, 0x2000]]\n"
		"passthrough_addresses = [[0x0c00_0000, 0x1000]]\n"));
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->pt_window_count, 2);
	assert_int_equal(vm->pt_windows[0].gpa, 0x09000000);
	assert_int_equal(vm->pt_windows[0].size, 0x3000);
	assert_int_equal(vm->pt_windows[0].merged, 1);
	/* passthrough_addresses: identity. */
	assert_int_equal(vm->pt_windows[1].hpa, 0x0c000000);
	destroy(vm);
	vmcfg_vm_config_free(cfg);

	/* Overlapping with different offsets: the config contradicts itself. */
	cfg = fx_config(&f, FX_VM(1, "p", RAM16M,
		"emu_devices = []\npassthrough_devices = [[\"a\", 0x0900_0000, 0x1900_0000, 0x2000],"
		" [\"b\", 0x0900_1000, 0x2900_1000, 0x2000]]\n"));
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EOVERLAP);
	assert_non_null(strstr(err, "'a' and 'b'"));
	vmcfg_vm_config_free(cfg);

	/* A window over RAM. */
	cfg = fx_config(&f, FX_VM(1, "p", RAM16M,
		"emu_devices = []\npassthrough_devices = [[\"a\", 0x4000_0000, 0x1900_0000, 0x1000]]\n"));
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EOVERLAP);
	vmcfg_vm_config_free(cfg);

	/* GPA and HPA with different page offsets cannot be mapped. */
	cfg = fx_config(&f, FX_VM(1, "p", RAM16M,
		"emu_devices = []\npassthrough_devices = [[\"a\", 0x0900_0100, 0x1900_0200, 0x100]]\n"));
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EALIGN);
	vmcfg_vm_config_free(cfg);

	/* A device-tree path needs a host DT: refused with the reason. */
	cfg = fx_config(&f, FX_VM(1, "p", RAM16M, "emu_devices = []\npassthrough_devices = [[\"/\"]]\n"));
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_ENOSYS);
	assert_non_null(strstr(err, "device-tree path"));
	vmcfg_vm_config_free(cfg);
	assert_int_equal(f.sim.in_use, 0);
	assert_int_equal(f.counts.in_use, 0);
	fx_free(&f);
}

/* ---- devices ---- */

struct sink {
	char out[64];
	size_t len;
};

static void console_sink(void *ud, const struct vmcfg_vm *vm, const char *s, size_t len)
{
	struct sink *k = ud;
	(void)vm;
	memcpy(k->out + k->len, s, len);
	k->len += len;
}

/* The embedder's factory: builds interrupt controllers (as a dummy here), nothing else. */
static int factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	static const struct vmcfg_vm_device_ops ops = { .read = NULL, .write = NULL };
	int *calls = ud;
	(*calls)++;
	if (dev->emu_type != VMCFG_EMU_INTERRUPT_CONTROLLER)
		return VMCFG_ENOSYS;
	/* ops without callbacks are refused by the bus: the factory's error reaches the caller. */
	return vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa, dev->length, dev->name, &ops,
			       NULL) == VMCFG_EINVAL
		       ? 0
		       : VMCFG_EIO;
}

/* The 32-bit word a guest load at gpa reads through the stage-2 tables (no trap). */
static uint32_t guest_word(struct vmcfg_vm *vm, uint64_t gpa)
{
	uint32_t w = 0;
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, gpa, &w, sizeof w), 0);
	return w;
}

/*
 * opts.console_read_shadow: a PL011's first page is mapped read-only
 * (device memory) and shows what each register reads, kept current by the
 * writes that still trap and by a reset; no input until unshadowed;
 * without the option nothing is mapped there.
 */
static void test_console_read_shadow(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_translation t;
	uint64_t v;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, true);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "d", RAM16M,
		"emu_devices = [[\"uart\", 0x0900_0000, 0x1000, 33, 0x2, []],"
		" [\"dummy\", 0x0a00_0000, 0x1000, 0, 0x0, []]]\npassthrough_devices = []\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_false(vm->devices[0].read_shadow);
	assert_false(vmcfg_vm_read_shadowed(vm, 0x09000018));
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x09000000, &t), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_destroy(vm), 0);

	o.console_read_shadow = true;
	vm = create_ok(&f, cfg, &o);
	assert_true(vm->devices[0].read_shadow);
	assert_false(vm->devices[1].read_shadow); /* a dummy is no console */
	assert_true(vmcfg_vm_read_shadowed(vm, 0x09000018));
	assert_false(vmcfg_vm_read_shadowed(vm, 0x09001000));
	assert_false(vmcfg_vm_read_shadowed(vm, 0x0a000000));
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x09000000, &t), 0);
	assert_true(t.present);
	assert_int_equal(t.flags, VMCFG_MEM_READ | VMCFG_MEM_DEVICE);
	/* Each register reads in the page as through the model. */
	for (uint64_t off = 0; off < 0x1000; off += 4) {
		assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000000 + off, 4, &v), 0);
		assert_int_equal(guest_word(vm, 0x09000000 + off), v);
	}
	assert_int_equal(guest_word(vm, 0x09000018), 0x90); /* FR: TXFE | RXFE */
	assert_int_equal(guest_word(vm, 0x09000fe0), 0x11);
	/* A write (trapped) shows at once; DR writes change no register. */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000030, 4, 0x301), 0); /* CR */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000038, 4, 0x20), 0);  /* IMSC: TX */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000000, 4, 'h'), 0);
	assert_int_equal(guest_word(vm, 0x09000030), 0x301);
	assert_int_equal(guest_word(vm, 0x09000038), 0x20);
	assert_int_equal(guest_word(vm, 0x09000040), 0x20); /* MIS */
	assert_int_equal(guest_word(vm, 0x09000000), 0);
	/* Input cannot be shown by a page that reads do not drain. */
	assert_int_equal(vmcfg_vm_console_input(vm, "x", 1), VMCFG_EBUSY);
	assert_int_equal(guest_word(vm, 0x09000018), 0x90);
	/* A reset puts the registers, and the page, back to power-on. */
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_reset(vm, NULL, 0), 0);
	assert_int_equal(guest_word(vm, 0x09000030), 0);
	assert_int_equal(guest_word(vm, 0x09000040), 0);
	assert_int_equal(guest_word(vm, 0x09000018), 0x90);
	/*
	 * Unshadowed for input: the page is gone from stage 2 (its frame kept
	 * until destroy, which frees it: in_use 0 below), reads go through the
	 * model, the FIFO takes bytes.
	 */
	uint64_t gpa = 0;
	assert_int_equal(vmcfg_vm_console_unshadow(vm, &gpa), 0);
	assert_int_equal(gpa, 0x09000000);
	assert_false(vm->devices[0].read_shadow);
	assert_false(vmcfg_vm_read_shadowed(vm, 0x09000018));
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x09000000, &t), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_console_unshadow(vm, &gpa), VMCFG_ENOENT);
	assert_int_equal(vmcfg_vm_console_input(vm, "xy", 2), 2);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000018, 4, &v), 0);
	assert_int_equal(v, 0x80); /* FR: TXFE, RXFE clear */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000000, 4, &v), 0);
	assert_int_equal(v, 'x');
	/* A reset keeps it unshadowed (and empties the FIFO). */
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_reset(vm, NULL, 0), 0);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x09000000, &t), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000018, 4, &v), 0);
	assert_int_equal(v, 0x90);
	assert_int_equal(vmcfg_vm_destroy(vm), 0);
	assert_int_equal(f.sim.in_use, 0);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_devices(void **state)
{
	struct fixture f;
	char err[256];
	struct sink k = { { 0 }, 0 };
	uint64_t v = 7;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "d", RAM16M,
		"emu_devices = [[\"uart\", 0x0900_0000, 0x1000, 33, 0x2, []],"
		" [\"dummy\", 0x0a00_0000, 0x100, 0, 0x0, []],"
		" [\"ivc\", 0x1000_0000, 0x10_0000, 0, 0xA, []]]\npassthrough_devices = []\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.console = console_sink;
	o.console_ud = &k;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->device_count, 3);
	assert_string_equal(vm->devices[0].model, "pl011");
	assert_int_equal(vm->devices[0].irq_id, 33);
	assert_int_equal(vm->ivc_window_gpa, 0x10000000);
	assert_int_equal(vm->ivc_window_size, 0x100000);

	/* PL011: DR out, FR, ID registers, input FIFO. */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000000, 4, 'h'), 0);
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000000, 1, 'i'), 0);
	assert_int_equal(k.len, 2);
	assert_memory_equal(k.out, "hi", 2);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000018, 4, &v), 0);
	assert_int_equal(v, 0x90); /* TXFE | RXFE */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000fe0, 4, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(vmcfg_vm_console_input(vm, "x", 1), 1);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000018, 4, &v), 0);
	assert_int_equal(v & 0x10, 0);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000000, 4, &v), 0);
	assert_int_equal(v, 'x');
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000038, 4, 0x10), 0); /* IMSC */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000038, 4, &v), 0);
	assert_int_equal(v, 0x10);

	/* Dummy: RAZ/WI. */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x0a000010, 8, ~0ull), 0);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x0a000010, 8, &v), 0);
	assert_int_equal(v, 0);
	/* IVC window without a channel: refused, not a crash. */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x10000000, 4, &v), VMCFG_EFAULT);
	/* No device there: an error result (the reference panicked the host). */
	v = 7;
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x0b000000, 4, &v), VMCFG_EFAULT);
	assert_int_equal(v, 7);
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x0a0000fe, 4, 1), VMCFG_EFAULT); /* runs past the end */
	destroy(vm);
	vmcfg_vm_config_free(cfg);

	/* A type this build cannot emulate: a clear error naming device and type. */
	cfg = fx_config(&f, FX_VM(1, "d", RAM16M,
		"emu_devices = [[\"gicd\", 0x0800_0000, 0x1_0000, 0, 0x1, []]]\npassthrough_devices = []\n"));
	o = fx_opts(err, sizeof err);
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_ENOSYS);
	assert_non_null(strstr(err, "'gicd'"));
	assert_non_null(strstr(err, "InterruptController"));
	/* ... unless the embedder's factory builds it. */
	int calls = 0;
	o.device_factory = factory;
	o.device_factory_ud = &calls;
	vm = create_ok(&f, cfg, &o);
	assert_int_equal(calls, 1);
	destroy(vm);
	vmcfg_vm_config_free(cfg);

	/*
	 * An AxVisor type the reference hypervisor does not emulate (W0233): the
	 * inert window its factory and the build's both register (RAZ/WI), the
	 * X86Pit on ports; an unknown type stays refused.
	 */
	cfg = fx_config(&f, FX_VM(1, "d", RAM16M,
		"emu_devices = [[\"fwcfg\", 0x0902_0000, 0x1000, 0, 0x3, []],"
		" [\"pit\", 0x40, 4, 0, 0x24, []]]\npassthrough_devices = []\n"));
	o = fx_opts(err, sizeof err);
	o.device_factory = vmcfg_vm_hv_model_factory;
	vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->device_count, 2);
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09020008, 4, 5), 0);
	v = 7;
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09020008, 4, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x40, 1, &v), VMCFG_EFAULT); /* not MMIO: ports */
	assert_true(vm->warnings >= 2);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	struct vmcfg_vm_emu_device unknown = { .name = "x", .emu_type = 0x77, .base_gpa = 0x09020000,
					       .length = 0x1000 };
	cfg = fx_config(&f, FX_VM(1, "d", RAM16M, "emu_devices = []\npassthrough_devices = []\n"));
	vm = create_ok(&f, cfg, &o);
	assert_int_equal(vmcfg_vm_inert_device(vm, &unknown), VMCFG_ENOSYS);
	unknown.emu_type = VMCFG_EMU_FW_CFG;
	unknown.length = 0;
	assert_int_equal(vmcfg_vm_inert_device(vm, &unknown), VMCFG_ENOSYS);
	destroy(vm);
	vmcfg_vm_config_free(cfg);

	/* Overlapping devices, a device over RAM, two IVC windows. */
	static const char *const bad[] = {
		"emu_devices = [[\"a\", 0x0900_0000, 0x1000, 0, 0x0, []], [\"b\", 0x0900_0800, 0x1000, 0, 0x0, []]]\n",
		"emu_devices = [[\"a\", 0x40ff_f000, 0x1000, 0, 0x0, []]]\n",
		"emu_devices = [[\"a\", 0x1000_0000, 0x1000, 0, 0xA, []], [\"b\", 0x2000_0000, 0x1000, 0, 0xA, []]]\n",
		"emu_devices = [[\"a\", 0x1000_0800, 0x1000, 0, 0xA, []]]\n",
		"emu_devices = [[\"u\", 0x0900_0000, 0x1000, 0, 0x2, [9]]]\n",
	};
	static const int bad_err[] = { VMCFG_EOVERLAP, VMCFG_EOVERLAP, VMCFG_EINVAL, VMCFG_EALIGN,
				       VMCFG_EINVAL };
	o = fx_opts(err, sizeof err);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text, FX_VM(1, "d", RAM16M, "%spassthrough_devices = []\n"), bad[i]);
		cfg = fx_config(&f, text);
		assert_int_equal(create_err(&f, cfg, &o), bad_err[i]);
		vmcfg_vm_config_free(cfg);
	}
	assert_int_equal(f.counts.in_use, 0);
	fx_free(&f);
}

/*
 * interrupt_mode "passthrough": the embedder's factory builds its vGIC at
 * QEMU virt's GIC frames without an emu_devices entry (the hypervisor keeps
 * the physical GIC); RAM over its redistributors is refused, as check's
 * E0229 says; without a factory there is none to build.
 */
static void test_passthrough_mode_vgic(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "pt", RAM16M,
		NO_DEVICES "interrupt_mode = \"passthrough\"\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.device_factory = vmcfg_vm_hv_model_factory;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->device_count, 1);
	assert_int_equal(vm->devices[0].base, VMCFG_VGIC_GICD_BASE);
	assert_int_equal(vm->devices[0].emu_type, VMCFG_EMU_INTERRUPT_CONTROLLER);
	assert_non_null(vmcfg_vm_bus_find(&vm->bus, VMCFG_VM_BUS_MMIO, VMCFG_VGIC_GICR_BASE));
	destroy(vm);

	o.device_factory = NULL;
	vm = create_ok(&f, cfg, &o);
	assert_int_equal(vm->device_count, 0);
	destroy(vm);

	struct vmcfg_vm_config *over = fx_config(&f, FX_VM(2, "over",
		"memory_regions = [[0x4000_0000, 0x100_0000, 0x7, 0], [0x80b_0000, 0x1_0000, 0x7, 0]]\n",
		NO_DEVICES "interrupt_mode = \"passthrough\"\n"));
	o.device_factory = vmcfg_vm_hv_model_factory;
	assert_int_equal(create_err(&f, over, &o), VMCFG_EOVERLAP);
	assert_non_null(strstr(err, "vGIC redistributors"));

	/* AxVisor's GIC pass-through frames: the hypervisor keeps the GIC (E0229). */
	struct vmcfg_vm_config *gppt = fx_config(&f, FX_VM(3, "gppt", RAM16M,
		"emu_devices = [[\"gppt-gicd\", 0x800_0000, 0x1_0000, 0, 0x21, []]]\n"
		"passthrough_devices = []\ninterrupt_mode = \"passthrough\"\n"));
	assert_int_equal(create_err(&f, gppt, &o), VMCFG_ENOSYS);
	vmcfg_vm_config_free(gppt);
	vmcfg_vm_config_free(over);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_console_16550(void **state)
{
	struct fixture f;
	char err[256];
	struct sink k = { { 0 }, 0 };
	uint64_t v;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "u", RAM16M,
		"emu_devices = [[\"com1\", 0x3f8, 8, 4, 0x2, []]]\npassthrough_devices = []\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.arch = VMCFG_ARCH_X86_64;
	o.console = console_sink;
	o.console_ud = &k;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_string_equal(vm->devices[0].model, "16550-pio");
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, 'A'), 0);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fd, 1, &v), 0);
	assert_int_equal(v, 0x60); /* THRE | TEMT, no data */
	/* DLAB: offsets 0/1 become the divisor latch and transmit nothing. */
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fb, 1, 0x83), 0);
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, 0x01), 0);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fb, 1, 0x03), 0);
	assert_int_equal(vmcfg_vm_console_input(vm, "q", 1), 1);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fd, 1, &v), 0);
	assert_int_equal(v & 1, 1);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, &v), 0);
	assert_int_equal(v, 'q');
	assert_int_equal(k.len, 1);
	assert_int_equal(k.out[0], 'A');
	/* Not on the MMIO bus. */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x3f8, 1, &v), VMCFG_EFAULT);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

/* The 16550's interrupt identification (IIR) and the line vmcfg_vm_console_irq reports. */
static void test_console_16550_irq(void **state)
{
	struct fixture f;
	char err[256];
	struct sink k = { { 0 }, 0 };
	uint64_t v;
	bool line = true;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "u", RAM16M,
		"emu_devices = [[\"com1\", 0x3f8, 8, 4, 0x2, []]]\npassthrough_devices = []\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.arch = VMCFG_ARCH_X86_64;
	o.console = console_sink;
	o.console_ud = &k;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f9, &line), VMCFG_ENOENT);
	/* Nothing enabled: no interrupt, line low. */
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0);
	assert_false(line);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fa, 1, &v), 0);
	assert_int_equal(v, 0x01);
	/* THRI enabled with THR empty: THRE identified once; the IIR read acknowledges it. */
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f9, 1, 0x02), 0);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0);
	assert_true(line);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0); /* no side effect */
	assert_true(line);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fa, 1, &v), 0);
	assert_int_equal(v, 0x02);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0);
	assert_false(line);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fa, 1, &v), 0);
	assert_int_equal(v, 0x01);
	/* A THR write: sent at once, THR empty again, THRE pending again. */
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, 'B'), 0);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0);
	assert_true(line);
	/* Received data (RDI) comes first, and stays while the FIFO holds bytes. */
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f9, 1, 0x03), 0);
	assert_int_equal(vmcfg_vm_console_input(vm, "z", 1), 1);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fa, 1, &v), 0);
	assert_int_equal(v, 0x04);
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f8, 1, &v), 0);
	assert_int_equal(v, 'z');
	assert_int_equal(vmcfg_vm_bus_read(&vm->bus, VMCFG_VM_BUS_PIO, 0x3fa, 1, &v), 0);
	assert_int_equal(v, 0x02); /* THRE, still pending from the write */
	/* Everything off: line low. */
	assert_int_equal(vmcfg_vm_bus_write(&vm->bus, VMCFG_VM_BUS_PIO, 0x3f9, 1, 0x00), 0);
	assert_int_equal(vmcfg_vm_console_irq(vm, 0x3f8, &line), 0);
	assert_false(line);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

/* ---- images ---- */

static void arm64_header(uint8_t *img, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(img, 0, 64);
	for (int i = 0; i < 8; i++) {
		img[8 + i] = (uint8_t)(text_offset >> (8 * i));
		img[16 + i] = (uint8_t)(image_size >> (8 * i));
		img[24 + i] = (uint8_t)(flags >> (8 * i));
	}
	memcpy(img + 56, "ARM\x64", 4);
}

static void test_arm64_image_parse(void **state)
{
	uint8_t img[128];
	struct vmcfg_vm_arm64_image h;
	(void)state;
	memset(img, 0, sizeof img);
	assert_int_equal(vmcfg_vm_arm64_image_parse(img, sizeof img, &h), VMCFG_ENOENT);
	assert_int_equal(vmcfg_vm_arm64_image_parse(img, 10, &h), VMCFG_ENOENT);
	arm64_header(img, 0, 0x1234000, 0xa);
	assert_int_equal(vmcfg_vm_arm64_image_parse(img, sizeof img, &h), 0);
	assert_int_equal(h.text_offset, 0);
	assert_int_equal(h.image_size, 0x1234000);
	assert_int_equal(h.flags, 0xa);
	arm64_header(img, 0, 0, 0); /* legacy */
	assert_int_equal(vmcfg_vm_arm64_image_parse(img, sizeof img, &h), 0);
	assert_int_equal(h.text_offset, 0x80000);
	assert_int_equal(h.image_size, sizeof img);
}

#define IMG_VM                                                                                \
	"[base]\nid = 1\nname = \"i\"\nvm_type = 1\ncpu_num = 1\n"                               \
	"[kernel]\nentry_point = 0x4020_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4020_0000\n" \
	"dtb_path = \"d\"\ndtb_load_addr = 0x4000_0000\n"                                        \
	"ramdisk_path = \"r\"\nramdisk_load_addr = 0x40ff_f000\n" RAM16M "[devices]\n" NO_DEVICES

/* The same with an emulated PL011. */
#define IMG_VM_CONSOLE                                                                        \
	"[base]\nid = 1\nname = \"i\"\nvm_type = 1\ncpu_num = 1\n"                               \
	"[kernel]\nentry_point = 0x4020_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4020_0000\n" \
	"dtb_path = \"d\"\ndtb_load_addr = 0x4000_0000\n" RAM16M "[devices]\n"                     \
	"emu_devices = [[\"uart\", 0x0900_0000, 0x1000, 33, 0x2, []]]\npassthrough_devices = []\n"

/* A patterned arm64 kernel and a DTB as imgs[0..2), and options that load them. */
static struct vmcfg_vm_create_opts image_opts(uint8_t *kernel, size_t kernel_len, uint8_t *dtb,
					size_t dtb_len, struct vmcfg_vm_image_data imgs[2], char *err,
					size_t err_len)
{
	for (size_t i = 0; i < kernel_len; i++)
		kernel[i] = (uint8_t)(i * 7);
	arm64_header(kernel, 0, 0x20000, 0xa);
	memset(dtb, 0xd7, dtb_len);
	imgs[0] = (struct vmcfg_vm_image_data){ VMCFG_IMAGE_KERNEL, kernel, kernel_len };
	imgs[1] = (struct vmcfg_vm_image_data){ VMCFG_IMAGE_DTB, dtb, dtb_len };
	struct vmcfg_vm_create_opts o = fx_opts(err, err_len);
	o.images = imgs;
	o.image_count = 2;
	return o;
}

static void test_images(void **state)
{
	struct fixture f;
	char err[256];
	static uint8_t kernel[0x3000], dtb[100], back[0x3000];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, IMG_VM);
	struct vmcfg_vm_image_data imgs[2];
	struct vmcfg_vm_create_opts o = image_opts(kernel, sizeof kernel, dtb, sizeof dtb, imgs, err,
					     sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40200000, back, sizeof kernel), 0);
	assert_memory_equal(back, kernel, sizeof kernel);
	assert_true(vm->images[VMCFG_IMAGE_KERNEL].loaded);
	assert_true(vm->images[VMCFG_IMAGE_KERNEL].arm64_header);
	assert_int_equal(vm->images[VMCFG_IMAGE_DTB].len, sizeof dtb);
	/* Loading again before the first start is allowed; after it is not. */
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_DTB, 0x40001000, dtb, sizeof dtb), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_DTB, 0x40001000, dtb, sizeof dtb),
			 VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPING), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPED), 0);
	destroy(vm);

	/* The ramdisk at the end of RAM is bounds-checked before copying. */
	struct vmcfg_vm_image_data rd = { VMCFG_IMAGE_RAMDISK, kernel, 0x1001 };
	o.images = &rd;
	o.image_count = 1;
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_ERANGE);
	assert_non_null(strstr(err, "ramdisk"));
	rd.len = 0x1000;
	vm = create_ok(&f, cfg, &o);
	destroy(vm);

	/* An arm64 Image whose image_size does not fit, misplaced, big-endian. */
	vm = create_ok(&f, cfg, &(struct vmcfg_vm_create_opts){ .arch = VMCFG_ARCH_AARCH64 });
	arm64_header(kernel, 0, 0x2000000, 0xa);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_KERNEL, 0x40200000, kernel, sizeof kernel),
			 VMCFG_ERANGE);
	arm64_header(kernel, 0, 0x20000, 0xa);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_KERNEL, 0x40201000, kernel, sizeof kernel),
			 VMCFG_EALIGN);
	arm64_header(kernel, 0x80000, 0x20000, 0xa);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_KERNEL, 0x40280000, kernel, sizeof kernel), 0);
	arm64_header(kernel, 0, 0x20000, 0xb);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_KERNEL, 0x40200000, kernel, sizeof kernel),
			 VMCFG_EINVAL);
	/* Images of different kinds may not overlap (the kernel's bss counts). */
	arm64_header(kernel, 0, 0x20000, 0xa);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_KERNEL, 0x40200000, kernel, sizeof kernel), 0);
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_DTB, 0x40210000, dtb, sizeof dtb),
			 VMCFG_EOVERLAP);
	/* Outside RAM: nothing copied. */
	assert_int_equal(vmcfg_vm_load_image(vm, VMCFG_IMAGE_DTB, 0x3ffff000, dtb, sizeof dtb),
			 VMCFG_ERANGE);
	destroy(vm);

	/* An image without a load address in the config. */
	vmcfg_vm_config_free(cfg);
	cfg = fx_config(&f, FX_VM(1, "i", RAM16M, NO_DEVICES));
	struct vmcfg_vm_image_data bios = { VMCFG_IMAGE_BIOS, dtb, sizeof dtb };
	o.images = &bios;
	assert_int_equal(create_err(&f, cfg, &o), VMCFG_EINVAL);
	assert_non_null(strstr(err, "bios_load_addr"));
	vmcfg_vm_config_free(cfg);
	assert_int_equal(f.sim.in_use, 0);
	fx_free(&f);
}

/* A warm reset: devices to power-on, images rewritten, the rest of RAM and the state rules. */
static void test_reset(void **state)
{
	struct fixture f;
	char err[256];
	struct sink k = { { 0 }, 0 };
	static uint8_t kernel[0x3000], dtb[100], back[0x3000];
	uint64_t v;
	uint8_t b;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, IMG_VM_CONSOLE);
	struct vmcfg_vm_image_data imgs[2];
	struct vmcfg_vm_create_opts o = image_opts(kernel, sizeof kernel, dtb, sizeof dtb, imgs, err,
					     sizeof err);
	o.console = console_sink;
	o.console_ud = &k;
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);

	/* Only a started VM resets; a refused reset changes nothing. */
	assert_int_equal(vmcfg_vm_reset(vm, imgs, 2), VMCFG_ESTATE);
	assert_int_equal(vm->state, VMCFG_VM_LOADED);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);

	/* The guest runs: overwrites its kernel and DTB, keeps data elsewhere, programs the UART. */
	memset(back, 0xee, sizeof back);
	assert_int_equal(vmcfg_aspace_write(&vm->aspace, 0x40200000, back, sizeof back), 0);
	assert_int_equal(vmcfg_aspace_write(&vm->aspace, 0x40000000, back, sizeof dtb), 0);
	b = 0x5a;
	assert_int_equal(vmcfg_aspace_write(&vm->aspace, 0x40800000, &b, 1), 0);
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000038, 4, 0x10), 0); /* IMSC */
	assert_int_equal(vmcfg_vm_console_input(vm, "q", 1), 1);

	/* A kind it never loaded, or no images with a count: refused before any change. */
	struct vmcfg_vm_image_data rd = { VMCFG_IMAGE_RAMDISK, dtb, sizeof dtb };
	assert_int_equal(vmcfg_vm_reset(vm, &rd, 1), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_reset(vm, NULL, 1), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_reset(NULL, imgs, 2), VMCFG_EINVAL);
	assert_int_equal(vm->state, VMCFG_VM_RUNNING);

	assert_int_equal(vmcfg_vm_reset(vm, imgs, 2), 0);
	assert_int_equal(vm->state, VMCFG_VM_LOADED);
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40200000, back, sizeof kernel), 0);
	assert_memory_equal(back, kernel, sizeof kernel);
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40000000, back, sizeof dtb), 0);
	assert_memory_equal(back, dtb, sizeof dtb);
	assert_int_equal(vmcfg_aspace_read(&vm->aspace, 0x40800000, &b, 1), 0);
	assert_int_equal(b, 0x5a); /* RAM survives a warm reset */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000038, 4, &v), 0);
	assert_int_equal(v, 0);    /* IMSC back to its reset value */
	assert_int_equal(vmcfg_vm_mmio_read(vm, 0x09000018, 4, &v), 0);
	assert_int_equal(v & 0x10, 0x10); /* RXFE: the FIFO was emptied */
	assert_int_equal(vmcfg_vm_mmio_write(vm, 0x09000000, 4, 'k'), 0);
	assert_int_equal(k.len, 1);       /* the console still reaches its sink */

	/* It starts again, and resets from SUSPENDED too. */
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_SUSPENDED), 0);
	assert_int_equal(vmcfg_vm_reset(vm, imgs, 1), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPING), 0);
	assert_int_equal(vmcfg_vm_reset(vm, imgs, 2), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPED), 0);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	assert_int_equal(f.sim.in_use, 0);
	assert_int_equal(f.counts.in_use, 0);
	fx_free(&f);
}

/* ---- lifecycle and destroy ---- */

static void test_lifecycle(void **state)
{
	struct fixture f;
	char err[256];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "l", RAM16M, NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_string_equal(vmcfg_vm_state_name(vm->state), "loaded");
	assert_null(vmcfg_vm_state_name((enum vmcfg_vm_state)42));
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_SUSPENDED), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPED), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_LOADING), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_destroy(vm), VMCFG_ESTATE); /* vCPUs may still use the tables */
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_SUSPENDED), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_SUSPENDED), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPING), 0);
	assert_int_equal(vmcfg_vm_destroy(vm), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_STOPPED), 0);
	assert_int_equal(vmcfg_vm_set_state(vm, VMCFG_VM_RUNNING), VMCFG_ESTATE);
	assert_int_equal(vmcfg_vm_set_state(vm, (enum vmcfg_vm_state)99), VMCFG_ESTATE);
	destroy(vm);
	assert_int_equal(vmcfg_vm_destroy(NULL), 0);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_destroy_scrubs(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_translation t;
	static const char secret[] = "guest secret";
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false); /* no poison: scrubbing must do the zeroing */
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "s", RAM16M, NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *vm = create_ok(&f, cfg, &o);
	assert_int_equal(vmcfg_aspace_write(&vm->aspace, 0x40abc000, secret, sizeof secret), 0);
	assert_int_equal(vmcfg_aspace_translate(&vm->aspace, 0x40abc000, &t), 0);
	uint8_t *host = f.ram + (t.hpa - HOST_BASE);
	assert_memory_equal(host, secret, sizeof secret);
	destroy(vm);
	for (size_t i = 0; i < sizeof secret; i++)
		assert_int_equal(host[i], 0);
	assert_int_equal(f.sim.in_use, 0);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

/* ---- failures: one VM fails, nothing leaks, others live on ---- */

#define FULL_VM                                                                               \
	"[base]\nid = 9\nname = \"full\"\nvm_type = 2\ncpu_num = 2\nphys_cpu_ids = [0, 1]\n"    \
	"[kernel]\nentry_point = 0x4020_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4020_0000\n" \
	"dtb_path = \"d\"\ndtb_load_addr = 0x4000_0000\n"                                        \
	"memory_regions = [[0x4000_0000, 0x40_0000, 0x7, 0], [0x80_03e0_0000, 0x20_0000, 0x7, 1],"  \
	" [0x4800_0000, 0x1000, 0x7, 2], [0x4900_0000, 0x1000, 0x13, 0]]\n"                       \
	"[devices]\nemu_devices = [[\"uart\", 0x0900_0000, 0x1000, 33, 0x2, []],"                  \
	" [\"ivc\", 0x1000_0000, 0x10_0000, 0, 0xA, []], [\"d\", 0x0a00_0000, 0x1000, 0, 0, []]]\n" \
	"passthrough_devices = [[\"gpio\", 0x0903_0000, 0x1_0903_0000, 0x1000],"                  \
	" [\"rtc\", 0x0901_0800, 0x1_0901_0800, 0x100]]\n"                                          \
	"passthrough_addresses = [[0x0c00_0000, 0x2000]]\n"

static void test_unwind_every_allocation(void **state)
{
	struct fixture f;
	char err[256];
	static uint8_t kernel[0x5000], dtb[0x100];
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, true);
	struct vmcfg_vm_config *cfg = fx_config(&f, FULL_VM);
	struct vmcfg_vm_image_data imgs[] = { { VMCFG_IMAGE_KERNEL, kernel, sizeof kernel },
					{ VMCFG_IMAGE_DTB, dtb, sizeof dtb } };
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.images = imgs;
	o.image_count = 2;
	size_t bytes = f.counts.in_use;

	/* A clean run tells how many allocation points there are. */
	struct vmcfg_vm *vm = NULL;
	f.sim.calls = 0;
	f.counts.calls = 0;
	assert_int_equal(vmcfg_vm_create(cfg, NULL, &f.hal, &o, &vm), 0);
	uint64_t frame_calls = f.sim.calls, alloc_calls = f.counts.calls;
	destroy(vm);
	assert_true(frame_calls > 5);
	assert_true(alloc_calls >= 3); /* the VM, its arena chunk, the bus array */

	/*
	 * Fail the k-th HAL allocation, then the k-th allocator call, for every
	 * k. A failed block allocation may be absorbed (the address space falls
	 * back to smaller pages), so success is allowed; a failure must be
	 * ENOMEM with every frame and byte returned.
	 */
	int failures = 0;
	for (int which = 0; which < 2; which++) {
		uint64_t points = which == 0 ? frame_calls : alloc_calls;
		for (uint64_t k = 1; k <= points; k++) {
			vm = NULL;
			f.sim.calls = f.counts.calls = 0;
			if (which == 0)
				f.sim.fail_at = k;
			else
				f.counts.fail_at = k;
			int rc = vmcfg_vm_create(cfg, NULL, &f.hal, &o, &vm);
			f.sim.fail_at = f.counts.fail_at = 0;
			if (rc == 0) {
				destroy(vm);
			} else {
				assert_int_equal(rc, VMCFG_ENOMEM);
				assert_null(vm);
				failures++;
			}
			assert_int_equal(f.sim.in_use, 0);
			assert_int_equal(f.counts.in_use, bytes);
		}
	}
	assert_true(failures > 5);
	assert_int_equal(f.sim.in_use, 0);
	assert_int_equal(f.counts.in_use, bytes);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

static void test_config_error_fails_that_vm_only(void **state)
{
	struct fixture f;
	char err[256];
	uint8_t b = 0;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_vm_config *good = fx_config(&f, FX_VM(1, "good", RAM16M, NO_DEVICES));
	struct vmcfg_vm_config *bad = fx_config(&f, FX_VM(2, "bad", RAM16M,
		"emu_devices = [[\"v\", 0x0a00_0000, 0x200, 0, 0xE1, []]]\npassthrough_devices = []\n"));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	struct vmcfg_vm *a = create_ok(&f, good, &o);
	assert_int_equal(vmcfg_aspace_write(&a->aspace, 0x40000000, "\x5a", 1), 0);
	size_t frames = f.sim.in_use;
	assert_int_equal(create_err(&f, bad, &o), VMCFG_ENOSYS);
	assert_non_null(strstr(err, "VirtioBlk"));
	assert_int_equal(f.sim.in_use, frames);
	/* A bad image fails that VM too, and the good one is untouched. */
	struct vmcfg_vm_image_data big = { VMCFG_IMAGE_KERNEL, &b, 0x2000000 };
	o.images = &big;
	o.image_count = 1;
	assert_int_equal(create_err(&f, good, &o), VMCFG_ERANGE);
	assert_int_equal(vmcfg_aspace_read(&a->aspace, 0x40000000, &b, 1), 0);
	assert_int_equal(b, 0x5a);
	assert_int_equal(a->state, VMCFG_VM_LOADED);
	destroy(a);
	vmcfg_vm_config_free(good);
	vmcfg_vm_config_free(bad);
	assert_int_equal(f.sim.in_use, 0);
	fx_free(&f);
}

static void test_platform_and_regs(void **state)
{
	struct fixture f;
	char err[256];
	struct vmcfg_pt_regs regs;
	(void)state;
	fx_init(&f, HOST_BASE, HOST_SIZE, false);
	struct vmcfg_system sys;
	memset(&sys, 0, sizeof sys);
	sys.has_platform = true;
	sys.platform.arch = VMCFG_ARCH_AARCH64;
	sys.platform.ipa_bits = 44;
	struct vmcfg_vm_config *cfg = fx_config(&f, FX_VM(1, "p", RAM16M, NO_DEVICES));
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	o.arch = VMCFG_ARCH_UNKNOWN;
	struct vmcfg_vm *vm = NULL;
	assert_int_equal(vmcfg_vm_create(cfg, &sys, &f.hal, &o, &vm), 0);
	assert_int_equal(vm->arch, VMCFG_ARCH_AARCH64);
	assert_string_equal(vm->aspace.fmt->name, "arm64-s2-4l");
	assert_int_equal(vm->aspace.ipa_bits, 44);
	assert_int_equal(vmcfg_vm_stage2_regs(vm, &regs), 0);
	assert_int_equal(regs.root, vm->aspace.root_pa);
	destroy(vm);
	vmcfg_vm_config_free(cfg);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcpus_aarch64),
		cmocka_unit_test(test_vcpus_riscv_x86),
		cmocka_unit_test(test_map_alloc_zeroed),
		cmocka_unit_test(test_map_identical),
		cmocka_unit_test(test_map_reserved_and_device_region),
		cmocka_unit_test(test_range_is_ram),
		cmocka_unit_test(test_passthrough_honours_hpa_and_tail),
		cmocka_unit_test(test_passthrough_merge_and_conflict),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_console_read_shadow),
		cmocka_unit_test(test_console_16550),
		cmocka_unit_test(test_console_16550_irq),
		cmocka_unit_test(test_arm64_image_parse),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_destroy_scrubs),
		cmocka_unit_test(test_unwind_every_allocation),
		cmocka_unit_test(test_config_error_fails_that_vm_only),
		cmocka_unit_test(test_platform_and_regs),
		cmocka_unit_test(test_passthrough_mode_vgic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
