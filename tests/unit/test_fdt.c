/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/fdt: host DT reading (address translation, interrupt
 * decoding, the platform), DT-path passthrough, the checks against a DT and
 * guest DT generation. Small trees are compiled from inline DTS with dtc;
 * the QEMU virt platform comes from tests/data/platforms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "vmcfg/config.h"
#include "vmcfg/fdt.h"
#include "vmcfg/host.h"

/* ------------------------------------------------------------ helpers */

static struct vmcfg_diags diags;

static int setup(void **state)
{
	(void)state;
	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vmcfg_diags_free(&diags);
	return 0;
}

/* How many findings of rule diags holds. */
static size_t count_rule(enum vmcfg_rule rule)
{
	size_t n = 0;
	for (size_t k = 0; k < diags.count; k++)
		n += diags.items[k].rule == rule;
	return n;
}

/* The first finding of rule; fails the test when there is none. */
static const struct vmcfg_diag *first_of(enum vmcfg_rule rule)
{
	static const struct vmcfg_diag none;
	for (size_t k = 0; k < diags.count; k++)
		if (diags.items[k].rule == rule)
			return &diags.items[k];
	fail_msg("no finding of rule %d", (int)rule);
	return &none;
}

static struct vmcfg_fdt_platform *open_dts(const char *dts)
{
	char *blob;
	size_t size;
	struct vmcfg_fdt_platform *host;
	assert_int_equal(vmcfg_fdt_dtc("dts", "dtb", dts, strlen(dts), &blob, &size), 0);
	assert_int_equal(vmcfg_fdt_platform_open(blob, size, "test.dtb", &host, &diags), 0);
	free(blob);
	return host;
}

static const char *shared_path(const char *rel)
{
	static char buf[4096];
	/* __FILE__ is <repo>/tests/unit/test_fdt.c, possibly relative to the repo. */
	const char *at = strstr(__FILE__, "tests/unit/");
	snprintf(buf, sizeof buf, "%.*stests/data/%s", at ? (int)(at - __FILE__) : 0, __FILE__, rel);
	return buf;
}

static struct vmcfg_fdt_platform *open_qemu(void)
{
	struct vmcfg_fdt_platform *host;
	assert_int_equal(vmcfg_fdt_platform_load(shared_path("platforms/qemu-virt-aarch64.dts"), &host,
						 &diags),
			 0);
	return host;
}

/* The windows of the node at path. */
static int windows(const struct vmcfg_fdt_platform *host, const char *path,
		   struct vmcfg_fdt_window *w, size_t max, size_t *n)
{
	int off = vmcfg_fdt_find(host, path);
	assert_true(off >= 0);
	return vmcfg_fdt_node_windows(host, off, w, max, n, NULL);
}

static int irqs(const struct vmcfg_fdt_platform *host, const char *path, struct vmcfg_fdt_irq *q,
		size_t max, size_t *n)
{
	int off = vmcfg_fdt_find(host, path);
	assert_true(off >= 0);
	return vmcfg_fdt_node_irqs(host, off, q, max, n, NULL);
}

static struct vmcfg_fdt_expansion *expand(const struct vmcfg_fdt_platform *host, const char *path,
					  const char *excluded)
{
	struct vmcfg_fdt_path p = { path, { NULL, { 0, 0, 0, 0 } } };
	struct vmcfg_fdt_path x = { excluded, { NULL, { 0, 0, 0, 0 } } };
	struct vmcfg_fdt_expansion *exp;
	assert_int_equal(vmcfg_fdt_expand(host, &p, 1, &x, excluded ? 1 : 0, &diags, &exp), 0);
	return exp;
}

static bool has_window(const struct vmcfg_fdt_expansion *exp, uint64_t base, uint64_t size)
{
	for (size_t k = 0; k < exp->window_count; k++)
		if (exp->windows[k].hpa == base && exp->windows[k].size == size)
			return true;
	return false;
}

/* Whether any window overlaps [base, base + size). */
static bool overlaps(const struct vmcfg_fdt_expansion *exp, uint64_t base, uint64_t size)
{
	for (size_t k = 0; k < exp->window_count; k++)
		if (exp->windows[k].hpa < base + size && base < exp->windows[k].hpa + exp->windows[k].size)
			return true;
	return false;
}

static const struct vmcfg_fdt_dep *find_dep(const struct vmcfg_fdt_expansion *exp,
					    const char *node, const char *target)
{
	for (size_t k = 0; k < exp->dep_count; k++)
		if (!strcmp(exp->deps[k].node, node) && !strcmp(exp->deps[k].target, target))
			return &exp->deps[k];
	return NULL;
}

/* The dependency node → target; fails the test when there is none. */
static const struct vmcfg_fdt_dep *dep_of(const struct vmcfg_fdt_expansion *exp, const char *node,
					  const char *target)
{
	static const struct vmcfg_fdt_dep none;
	const struct vmcfg_fdt_dep *d = find_dep(exp, node, target);
	if (!d)
		fail_msg("no dependency %s -> %s", node, target);
	return d ? d : &none;
}

/* A VM file around the given [devices] body. */
static struct vmcfg_vm_spec *load_vm(const char *base_extra, const char *region, const char *devices)
{
	char text[2048];
	struct vmcfg_vm_spec *spec;
	snprintf(text, sizeof text,
		 "[base]\nid = 1\nname = \"t\"\nvm_type = 1\n%s\n"
		 "[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k.bin\"\n"
		 "kernel_load_addr = 0x4008_0000\ncmdline = \"console=ttyAMA0 quiet\"\n"
		 "ramdisk_path = \"initrd\"\nramdisk_load_addr = 0x4800_0000\n"
		 "memory_regions = [%s]\n"
		 "[devices]\nemu_devices = [[\"ivc\", 0x9100_0000, 0x10000, 0, 0xA, []]]\n%s\n",
		 base_extra, region, devices);
	assert_int_equal(vmcfg_vm_spec_load(text, strlen(text), "vm.toml", &vmcfg_host_allocator, &diags, &spec), 0);
	assert_non_null(spec);
	return spec;
}

/* --------------------------------------------------- translation */

static const char *const bus_dts =
	"/dts-v1/;\n"
	"/ {\n"
	"  #address-cells = <2>; #size-cells = <2>;\n"
	"  soc {\n"
	"    compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
	"    ranges = <0x0 0x0 0x40000000 0x100000>;\n"
	"    uart@1000 { reg = <0x1000 0x100>; };\n"
	"    cross@ff000 { reg = <0xff000 0x2000>; };\n"
	"    sub {\n"
	"      compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
	"      ranges = <0x0 0x20000 0x1000>;\n"
	"      dev@10 { reg = <0x10 0x20 0x100 0x10>; };\n"
	"      far@2000 { reg = <0x2000 0x10>; };\n"
	"    };\n"
	"    nomap { #address-cells = <1>; #size-cells = <1>; dev@0 { reg = <0x0 0x10>; }; };\n"
	"    i2c { #address-cells = <1>; #size-cells = <0>; sensor@48 { reg = <0x48>; }; };\n"
	"  };\n"
	"  big@100000000 { reg = <0x1 0x0 0x0 0x1000>; };\n"
	"  flat { #address-cells = <2>; #size-cells = <2>; ranges; x@0 { reg = <0 0x5000 0 0x10>; }; };\n"
	"  odd { reg = <0x0 0x1000 0x0>; };\n"
	"};\n";

static void test_ranges_translation(void **state)
{
	struct vmcfg_fdt_platform *host = open_dts(bus_dts);
	struct vmcfg_fdt_window w[4];
	size_t n;
	(void)state;

	/* 1-cell child bus with an offset into a 2-cell root. */
	assert_int_equal(windows(host, "/soc/uart@1000", w, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].base, 0x40001000);
	assert_int_equal(w[0].size, 0x100);
	/* Nested bus: two offsets add up; both reg entries come out. */
	assert_int_equal(windows(host, "/soc/sub/dev@10", w, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(w[0].base, 0x40020010);
	assert_int_equal(w[0].size, 0x20);
	assert_int_equal(w[1].base, 0x40020100);
	assert_int_equal(w[1].size, 0x10);
	/* Too small an array: ENOSPC and the true count. */
	assert_int_equal(windows(host, "/soc/sub/dev@10", w, 1, &n), VMCFG_ENOSPC);
	assert_int_equal(n, 2);
	/* 2-cell address above 4 GiB; empty ranges is the identity. */
	assert_int_equal(windows(host, "/big@100000000", w, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].base, 0x100000000ull);
	assert_int_equal(windows(host, "/flat/x@0", w, 4, &n), 0);
	assert_int_equal(w[0].base, 0x5000);
	/* Not translatable: no ranges, outside every range, crossing a range's end. */
	assert_int_equal(windows(host, "/soc/nomap/dev@0", w, 4, &n), VMCFG_ERANGE);
	assert_int_equal(windows(host, "/soc/sub/far@2000", w, 4, &n), VMCFG_ERANGE);
	assert_int_equal(windows(host, "/soc/cross@ff000", w, 4, &n), VMCFG_ERANGE);
	/* Not memory-mapped (#size-cells = 0): no windows, no error. */
	assert_int_equal(windows(host, "/soc/i2c/sensor@48", w, 4, &n), 0);
	assert_int_equal(n, 0);
	/* A reg whose length is no multiple of the cells. */
	assert_int_equal(windows(host, "/odd", w, 4, &n), VMCFG_ESYNTAX);
	vmcfg_fdt_platform_free(host);
}

/* --------------------------------------------------- interrupts */

static const char *const irq_dts =
	"/dts-v1/;\n"
	"/ {\n"
	"  #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;\n"
	"  gic: intc@8000000 { compatible = \"arm,gic-v3\"; interrupt-controller;\n"
	"    #interrupt-cells = <3>; reg = <0 0x8000000 0 0x10000 0 0x80a0000 0 0x40000>; };\n"
	"  gpio: gpio@9030000 { interrupt-controller; #interrupt-cells = <2>;\n"
	"    reg = <0 0x9030000 0 0x1000>; interrupts = <0 7 4>; };\n"
	"  a { interrupts = <0 1 4 1 13 8>; };\n"
	"  bus { interrupt-parent = <&gpio>; b { interrupts = <5 1>; }; };\n"
	"  c { interrupts-extended = <&gic 0 10 4 &gpio 3 2>; };\n"
	"  bad { interrupts = <0 1>; };\n"
	"  badtype { interrupts = <7 1 4>; };\n"
	"};\n";

static void test_interrupts(void **state)
{
	struct vmcfg_fdt_platform *host = open_dts(irq_dts);
	struct vmcfg_fdt_irq q[4];
	size_t n;
	(void)state;

	assert_int_equal(host->gic, VMCFG_FDT_GIC_V3);
	/* 3-cell GIC: type 0 SPI → INTID 32 + n, type 1 PPI → 16 + n. */
	assert_int_equal(irqs(host, "/a", q, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(q[0].kind, VMCFG_FDT_IRQ_SPI);
	assert_int_equal(q[0].number, 1);
	assert_int_equal(q[0].intid, 33);
	assert_int_equal(q[0].flags, 4);
	assert_int_equal(q[0].controller, host->gic_node);
	assert_int_equal(q[1].kind, VMCFG_FDT_IRQ_PPI);
	assert_int_equal(q[1].intid, 29);
	/* interrupt-parent inherited from the bus: a 2-cell GPIO controller. */
	assert_int_equal(irqs(host, "/bus/b", q, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(q[0].kind, VMCFG_FDT_IRQ_OTHER);
	assert_int_equal(q[0].number, 5);
	assert_int_equal(q[0].controller, vmcfg_fdt_find(host, "/gpio@9030000"));
	/* interrupts-extended: each specifier sized by its own controller. */
	assert_int_equal(irqs(host, "/c", q, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(q[0].kind, VMCFG_FDT_IRQ_SPI);
	assert_int_equal(q[0].intid, 42);
	assert_int_equal(q[1].kind, VMCFG_FDT_IRQ_OTHER);
	assert_int_equal(q[1].number, 3);
	/* Malformed: length vs #interrupt-cells, unknown GIC type. */
	assert_int_equal(irqs(host, "/bad", q, 4, &n), VMCFG_ESYNTAX);
	assert_int_equal(irqs(host, "/badtype", q, 4, &n), VMCFG_ESYNTAX);
	vmcfg_fdt_platform_free(host);
}

/* --------------------------------------------------- passthrough */

static const char *const dep_dts =
	"/dts-v1/;\n"
	"/ {\n"
	"  #address-cells = <1>; #size-cells = <1>; interrupt-parent = <&gic>;\n"
	"  gic: intc@1000 { compatible = \"arm,gic-v3\"; interrupt-controller;\n"
	"    #interrupt-cells = <3>; reg = <0x1000 0x1000>; };\n"
	"  osc: osc { compatible = \"fixed-clock\"; #clock-cells = <0>; clock-frequency = <24000000>; };\n"
	"  pll: pll { compatible = \"fixed-factor-clock\"; #clock-cells = <0>; clocks = <&osc>; };\n"
	"  cru: cru@2000 { #clock-cells = <1>; reg = <0x2000 0x100>; clocks = <&pll>; };\n"
	"  pinctrl@3000 { reg = <0x3000 0x100>; uart_pins: uart-pins { }; };\n"
	"  soc { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>; ranges;\n"
	"    uart@4000 { reg = <0x4000 0x100>; interrupts = <0 5 4>;\n"
	"      clocks = <&cru 3>, <&pll>; pinctrl-0 = <&uart_pins>; };\n"
	"    off@5000 { status = \"disabled\"; reg = <0x5000 0x100>; child@5000 { }; };\n"
	"    ex@6000 { reg = <0x6000 0x100>; interrupts = <0 5 4>; };\n"
	"    ok@7000 { status = \"okay\"; reg = <0x7000 0x100>; interrupts = <0 6 4>; };\n"
	"  };\n"
	"};\n";

static void test_disabled_and_excluded(void **state)
{
	struct vmcfg_fdt_platform *host = open_dts(dep_dts);
	(void)state;

	struct vmcfg_fdt_expansion *exp = expand(host, "/soc", NULL);
	assert_true(has_window(exp, 0x4000, 0x100));
	assert_true(has_window(exp, 0x6000, 0x100));
	assert_true(has_window(exp, 0x7000, 0x100)); /* status "okay" is enabled */
	assert_false(overlaps(exp, 0x5000, 0x100));  /* disabled, with its subtree */
	assert_int_equal(exp->window_count, 3);
	/* SPI 5 is raised by two nodes: listed once; sorted. */
	assert_int_equal(exp->spi_count, 2);
	assert_int_equal(exp->spis[0].spi, 5);
	assert_int_equal(exp->spis[0].intid, 37);
	assert_int_equal(exp->spis[1].spi, 6);
	assert_int_equal(diags.count, 0);
	vmcfg_fdt_expansion_free(exp);

	exp = expand(host, "/soc", "/soc/ex@6000");
	assert_false(overlaps(exp, 0x6000, 0x100));
	assert_int_equal(exp->window_count, 2);
	vmcfg_fdt_expansion_free(exp);

	/* A path naming a disabled node (or a node under one) is a warning; nothing passes. */
	exp = expand(host, "/soc/off@5000/child@5000", NULL);
	assert_int_equal(exp->window_count, 0);
	assert_int_equal(count_rule(VMCFG_R_FDT_DISABLED), 1);
	vmcfg_fdt_expansion_free(exp);

	/* Missing paths: E0402 with the nearest path; a missing exclusion is W0407. */
	exp = expand(host, "/soc/uart@4001", "/soc/nothere");
	assert_int_equal(count_rule(VMCFG_R_FDT_NO_NODE), 1);
	assert_int_equal(count_rule(VMCFG_R_FDT_NO_EXCLUDED), 1);
	assert_string_equal(first_of(VMCFG_R_FDT_NO_NODE)->hint, "did you mean `/soc/uart@4000`?");
	assert_int_equal(exp->node_count, 0);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
}

static void test_dependency_closure(void **state)
{
	struct vmcfg_fdt_platform *host = open_dts(dep_dts);
	(void)state;

	struct vmcfg_fdt_expansion *exp = expand(host, "/soc/uart@4000", NULL);
	/* Only the device's own window: dependencies never add windows. */
	assert_int_equal(exp->window_count, 1);
	assert_true(has_window(exp, 0x4000, 0x100));
	/* The clock controller is hardware the VM does not get. */
	const struct vmcfg_fdt_dep *d = dep_of(exp, "/soc/uart@4000", "/cru@2000");
	assert_string_equal(d->property, "clocks");
	assert_int_equal(d->kind, VMCFG_FDT_DEP_OUTSIDE);
	/* The fixed clocks are descriptions, followed transitively (pll → osc). */
	d = dep_of(exp, "/soc/uart@4000", "/pll");
	assert_int_equal(d->kind, VMCFG_FDT_DEP_DESCRIPTION);
	d = dep_of(exp, "/pll", "/osc");
	assert_int_equal(d->kind, VMCFG_FDT_DEP_DESCRIPTION);
	/* A pin group inside a pin controller belongs to that hardware. */
	d = dep_of(exp, "/soc/uart@4000", "/pinctrl@3000/uart-pins");
	assert_string_equal(d->property, "pinctrl-0");
	assert_int_equal(d->kind, VMCFG_FDT_DEP_OUTSIDE);
	/* The outside clock controller's own dependencies are not followed. */
	assert_null(find_dep(exp, "/cru@2000", "/pll"));
	/* The interrupt controller is never a dependency: the guest writer owns it. */
	for (size_t k = 0; k < exp->dep_count; k++)
		assert_string_not_equal(exp->deps[k].target, "/intc@1000");
	/* nodes: the device and the two descriptions, in DT order. */
	assert_int_equal(exp->node_count, 3);
	assert_string_equal(exp->nodes[0].path, "/osc");
	assert_true(exp->nodes[0].dependency);
	assert_string_equal(exp->nodes[1].path, "/pll");
	assert_string_equal(exp->nodes[2].path, "/soc/uart@4000");
	assert_false(exp->nodes[2].dependency);

	/* Passing the clock controller too makes it a passed dependency. */
	vmcfg_fdt_expansion_free(exp);
	struct vmcfg_fdt_path p[2] = { { "/soc/uart@4000", { NULL, { 0, 0, 0, 0 } } },
				       { "/cru@2000", { NULL, { 0, 0, 0, 0 } } } };
	assert_int_equal(vmcfg_fdt_expand(host, p, 2, NULL, 0, &diags, &exp), 0);
	assert_int_equal(dep_of(exp, "/soc/uart@4000", "/cru@2000")->kind, VMCFG_FDT_DEP_PASSED);
	assert_int_equal(exp->window_count, 2);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
}

/* --------------------------------------------------- QEMU virt */

static void test_qemu_platform(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	const struct vmcfg_platform *p = &host->platform;
	(void)state;

	assert_int_equal(p->arch, VMCFG_ARCH_AARCH64);
	assert_int_equal(p->cpu_num, 2);
	assert_int_equal(p->phys_cpu_ids[0], 0);
	assert_int_equal(p->phys_cpu_ids[1], 1);
	assert_int_equal(p->ram_count, 1);
	assert_int_equal(p->ram[0].base, 0x40000000);
	assert_int_equal(p->ram[0].size, 0x40000000);
	assert_int_equal(p->ipa_bits, 0);
	assert_int_equal(host->gic, VMCFG_FDT_GIC_V3);
	assert_string_equal(host->psci_method, "smc");
	assert_true(host->timer_node >= 0);
	/* GICD, GICR and the ITS are reserved frames. */
	assert_int_equal(p->reserved_count, 3);
	assert_string_equal(p->reserved[0].name, "GICD");
	assert_int_equal(p->reserved[0].base, 0x8000000);
	assert_string_equal(p->reserved[1].name, "GICR");
	assert_int_equal(p->reserved[1].base, 0x80a0000);
	assert_int_equal(p->reserved[1].size, 0xf60000);
	assert_string_equal(p->reserved[2].name, "GITS");
	assert_int_equal(p->reserved[2].base, 0x8080000);
	assert_int_equal(diags.count, 0);
	vmcfg_fdt_platform_free(host);
}

/*
 * vmcfg_fdt_find answers from the index what fdt_path_offset answers from
 * the blob, for names with and without their unit address (whichever of
 * "memory" and "memory@..." comes first wins, as in libfdt), repeated and
 * trailing slashes, missing nodes and aliases.
 */
static void test_find_like_libfdt(void **state)
{
	(void)state;
	struct vmcfg_fdt_platform *host = open_dts(
		"/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;"
		" aliases { serial0 = \"/soc/uart@1000\"; };"
		" memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };"
		" memory { device_type = \"memory\"; reg = <0 0x40000000 0 0x1000000>; };"
		" soc { #address-cells = <2>; #size-cells = <2>; ranges;"
		"  uart { compatible = \"x\"; };"
		"  uart@1000 { compatible = \"y\"; reg = <0 0x1000 0 0x100>; };"
		"  bus@2000 { #address-cells = <2>; #size-cells = <2>; ranges;"
		"   uart@1000 { compatible = \"z\"; reg = <0 0x1000 0 0x100>; }; }; }; };");
	static const char *const paths[] = {
		"/", "//", "/memory", "/memory@80000000", "/memory@40000000", "/soc", "/soc/",
		"/soc//uart", "/soc/uart", "/soc/uart@1000", "/soc/bus", "/soc/bus@2000/uart",
		"/soc/bus/uart@1000", "/soc/bus@2000/uart@1000/", "/soc/uart@2000", "/nothing",
		"/soc/nothing/uart", "/mem", "/memory@", "serial0", "serial0/", "nothing",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		int want = fdt_path_offset(host->fdt, paths[i]), got = vmcfg_fdt_find(host, paths[i]);
		if (want >= 0 ? got != want : got != VMCFG_ENOENT)
			fail_msg("%s: libfdt %d, vmcfg_fdt_find %d", paths[i], want, got);
	}
	/* "memory" names the first of the two, the one with a unit address. */
	assert_int_equal(vmcfg_fdt_find(host, "/memory"), fdt_path_offset(host->fdt, "/memory@80000000"));
	vmcfg_fdt_platform_free(host);
}

static void test_qemu_pl011(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	(void)state;

	struct vmcfg_fdt_expansion *exp = expand(host, "/pl011@9000000", NULL);
	assert_int_equal(exp->window_count, 1);
	assert_int_equal(exp->windows[0].hpa, 0x9000000);
	assert_int_equal(exp->windows[0].size, 0x1000);
	assert_string_equal(exp->windows[0].node, "/pl011@9000000");
	assert_int_equal(exp->spi_count, 1);
	assert_int_equal(exp->spis[0].spi, 1);
	assert_int_equal(exp->spis[0].intid, 33);
	assert_int_equal(dep_of(exp, "/pl011@9000000", "/apb-pclk")->kind, VMCFG_FDT_DEP_DESCRIPTION);

	/* Applied to a runtime config: the path entry becomes the window. */
	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 1", "[0x4000_0000, 0x1000_0000, 0x7, 0]",
				       "passthrough_devices = [[\"/pl011@9000000\"]]");
	struct vmcfg_vm_config *cfg;
	assert_int_equal(vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg), 0);
	assert_int_equal(vmcfg_fdt_expansion_apply(exp, cfg), 0);
	assert_int_equal(cfg->pt_count, 1);
	assert_int_equal(cfg->pt[0].base_gpa, 0x9000000);
	assert_int_equal(cfg->pt[0].base_hpa, 0x9000000);
	assert_int_equal(cfg->pt[0].length, 0x1000);
	assert_int_equal(cfg->spi_count, 1);
	assert_int_equal(cfg->spis[0], 1);
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
}

static void test_qemu_root_without_gic(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	(void)state;

	/*
	 * The GIC under a path is the hypervisor's: "/" leaves out its frames
	 * and its ITS child (the guest gets the vGIC there), as excluding it does.
	 */
	struct vmcfg_fdt_expansion *exp = expand(host, "/", NULL);
	assert_false(overlaps(exp, 0x8000000, 0x1000000));
	assert_false(overlaps(exp, 0x40000000, 0x40000000)); /* RAM is never a window */
	assert_true(has_window(exp, 0x9000000, 0x1000));
	assert_int_equal(exp->spi_count, 32 + 3);
	vmcfg_fdt_expansion_free(exp);

	/* Named itself, it is selected: check reports its frames as reserved (E0306). */
	exp = expand(host, "/intc@8000000", NULL);
	assert_true(has_window(exp, 0x8000000, 0x10000));
	assert_true(overlaps(exp, 0x8080000, 0x20000)); /* its ITS */
	vmcfg_fdt_expansion_free(exp);

	exp = expand(host, "/", "/intc@8000000");
	assert_false(overlaps(exp, 0x8000000, 0x1000000)); /* GICD, GICR and the ITS child */
	assert_true(has_window(exp, 0x9000000, 0x1000));
	assert_true(has_window(exp, 0xa000000, 0x200));
	assert_true(has_window(exp, 0x4010000000ull, 0x10000000)); /* PCIe ECAM, 2-cell */
	/* virtio-mmio SPIs 16..47, the PL011's 1, PL031's 2, PL061's 7; no PPIs. */
	assert_int_equal(exp->spi_count, 32 + 3);
	assert_int_equal(diags.count, 0);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
}

static void test_qemu_checks(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	(void)state;

	/* A phys_cpu_id the host lacks (E0225), identical RAM outside host RAM (E0307). */
	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 2\nphys_cpu_ids = [0, 5]",
				       "[0x4000_0000, 0x1000_0000, 0x7, 0], [0x8000_0000, 0x1000_0000, 0x7, 1]",
				       "passthrough_devices = [[\"/pl011@9000001\"]]\n"
				       "excluded_devices = [[\"/intc@8000000\"]]");
	assert_int_equal(diags.count, 0);
	const struct vmcfg_vm_spec *specs[1] = { spec };
	assert_int_equal(vmcfg_fdt_check(host, NULL, specs, 1, NULL, &diags), 0);
	assert_int_equal(count_rule(VMCFG_R_PHYS_ID_PLATFORM), 1);
	assert_int_equal(count_rule(VMCFG_R_OUTSIDE_HOST_RAM), 1);
	/* The missing path is located at its TOML value, with a hint. */
	const struct vmcfg_diag *d = first_of(VMCFG_R_FDT_NO_NODE);
	assert_string_equal(d->primary.file, "vm.toml");
	assert_int_equal(d->primary.span.line, 17);
	assert_string_equal(d->hint, "did you mean `/pl011@9000000`?");
	assert_int_equal(count_rule(VMCFG_R_PLATFORM_SKIPPED), 0);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

/* --------------------------------------------------- guest DT */

/* Every phandle a guest property references exists (dtc -q would not say). */
static void assert_no_dangling(const void *fdt)
{
	static const char *const props[] = { "interrupt-parent", "clocks", "pinctrl-0", "resets" };
	for (int off = fdt_next_node(fdt, -1, NULL); off >= 0; off = fdt_next_node(fdt, off, NULL))
		for (size_t k = 0; k < sizeof props / sizeof props[0]; k++) {
			int len = 0;
			const fdt32_t *v = fdt_getprop(fdt, off, props[k], &len);
			if (v && len >= 4)
				assert_true(fdt_node_offset_by_phandle(fdt, fdt32_ld(v)) >= 0);
		}
}

static char *build_guest(const struct vmcfg_fdt_platform *host, struct vmcfg_vm_spec *spec, size_t *size)
{
	struct vmcfg_vm_config *cfg;
	struct vmcfg_fdt_expansion *exp;
	char *blob, *dts;
	size_t dts_len;
	struct vmcfg_fdt_guest_opts opts = { 0x20000, NULL, VMCFG_ARCH_UNKNOWN };
	assert_int_equal(vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg), 0);
	assert_int_equal(vmcfg_fdt_expand_config(host, cfg, &diags, &exp), 0);
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, exp, &opts, &diags, &blob, size), 0);
	assert_int_equal(fdt_check_full(blob, *size), 0);
	/* dtc reads it back without errors. */
	assert_int_equal(vmcfg_fdt_dtc("dtb", "dts", blob, *size, &dts, &dts_len), 0);
	free(dts);
	assert_no_dangling(blob);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_vm_config_free(cfg);
	return blob;
}

static void test_guest_emu(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	size_t size;
	int len;
	(void)state;

	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 2\nphys_cpu_ids = [0x100, 0x1_0000_0000]",
				       "[0x4000_0000, 0x1000_0000, 0x7, 0], [0x5000_0000, 0x1000, 0x13, 0]",
				       "passthrough_devices = [[\"/pl011@9000000\"]]\ninterrupt_mode = \"emu\"");
	char *fdt = build_guest(host, spec, &size);

	assert_int_equal(fdt32_ld(fdt_getprop(fdt, 0, "#address-cells", &len)), 2);
	/* One memory node: the DEVICE region is no RAM. */
	assert_true(fdt_path_offset(fdt, "/memory@40000000") >= 0);
	assert_true(fdt_path_offset(fdt, "/memory@50000000") < 0);
	/* CPUs by MPIDR affinity; Aff3 needs 2 address cells. */
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@100") >= 0);
	int cpu = fdt_path_offset(fdt, "/cpus/cpu@100000000");
	assert_true(cpu >= 0);
	assert_string_equal(fdt_getprop(fdt, cpu, "enable-method", NULL), "psci");
	/* The emulated GIC at QEMU virt's frames, the root's interrupt parent. */
	int gic = fdt_path_offset(fdt, "/interrupt-controller@8000000");
	assert_true(gic >= 0);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, 0, "interrupt-parent", &len)), fdt_get_phandle(fdt, gic));
	/* chosen: bootargs, initrd from the ramdisk's address and the given size, stdout. */
	int chosen = fdt_path_offset(fdt, "/chosen");
	assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL), "console=ttyAMA0 quiet");
	assert_int_equal(fdt64_ld(fdt_getprop(fdt, chosen, "linux,initrd-start", NULL)), 0x48000000);
	assert_int_equal(fdt64_ld(fdt_getprop(fdt, chosen, "linux,initrd-end", NULL)), 0x48020000);
	assert_string_equal(fdt_getprop(fdt, chosen, "stdout-path", NULL), "/pl011@9000000");
	/* The device with its interrupt parent made explicit, its fixed clock copied. */
	int uart = fdt_path_offset(fdt, "/pl011@9000000");
	assert_true(uart >= 0);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, uart, "interrupt-parent", &len)),
			 fdt_get_phandle(fdt, gic));
	assert_non_null(fdt_getprop(fdt, uart, "clocks", NULL));
	assert_true(fdt_path_offset(fdt, "/apb-pclk") >= 0);
	/* The IVC window, reserved and not mapped. */
	int ivc = fdt_path_offset(fdt, "/reserved-memory/ivc@91000000");
	assert_true(ivc >= 0);
	assert_non_null(fdt_getprop(fdt, ivc, "no-map", NULL));
	/* PSCI through the hypervisor; the standard timer (copied from the host). */
	int psci = fdt_path_offset(fdt, "/psci");
	assert_string_equal(fdt_getprop(fdt, psci, "method", NULL), "hvc");
	assert_true(fdt_path_offset(fdt, "/timer") >= 0);
	assert_int_equal(count_rule(VMCFG_R_FDT_DANGLING), 0);
	free(fdt);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

/* An emulated PL011: its node, a fixed 24 MHz clock for both clock names, stdout on it. */
static struct vmcfg_system *load_system(const char *toml)
{
	struct vmcfg_system *sys = NULL;
	assert_int_equal(vmcfg_system_load(toml, strlen(toml), "sys.toml", &vmcfg_host_allocator,
					   &diags, &sys),
			 0);
	assert_non_null(sys);
	return sys;
}

static uint64_t reg_at(const void *fdt, int node, int index)
{
	const fdt64_t *reg = fdt_getprop(fdt, node, "reg", NULL);
	return fdt64_ld(reg + index);
}

/* Static IVC channels: a node each where lib/ivc places them, the rest of the window beside. */
static void test_guest_static_ivc(void **state)
{
	static const char two[] =
		"vms = []\n"
		"[[ivc]]\nkey = 3\npublisher = \"t\"\nsize = 0x2001\nstatic = true\n"
		"subscribers = [{ vm = \"x\", access = \"ro\" }]\n"
		"[[ivc]]\nkey = 4\npublisher = \"x\"\nsize = 0x100\nstatic = true\n"
		"subscribers = [{ vm = \"t\", access = \"ro\" }]\n";
	static const char full[] = "vms = []\n"
				   "[[ivc]]\nkey = 1\npublisher = \"x\"\nsize = 0x10000\nstatic = true\n"
				   "subscribers = [{ vm = \"t\", access = \"rw\" }]\n";
	static const char too_big[] = "vms = []\n"
				      "[[ivc]]\nkey = 1\npublisher = \"t\"\nsize = 0x10001\nstatic = true\n";
	struct vmcfg_fdt_platform *host = open_qemu();
	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 1", "[0x4000_0000, 0x1000_0000, 0x7, 0]",
				       "passthrough_devices = []\ninterrupt_mode = \"emu\"");
	struct vmcfg_vm_config *cfg;
	struct vmcfg_fdt_guest_opts opts = { 0, NULL, VMCFG_ARCH_UNKNOWN };
	char *fdt, *dts;
	size_t size, dts_len;
	(void)state;
	assert_int_equal(vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg), 0);

	opts.system = load_system(two);
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size), 0);
	assert_int_equal(fdt_check_full(fdt, size), 0);
	/* t publishes 3 (three pages, writable), then subscribes to x's 4 read-only. */
	int a = fdt_path_offset(fdt, "/reserved-memory/ivc@91000000");
	assert_true(a >= 0);
	assert_string_equal(fdt_getprop(fdt, a, "compatible", NULL), "vmcfg,ivc-channel");
	assert_int_equal(reg_at(fdt, a, 0), 0x91000000);
	assert_int_equal(reg_at(fdt, a, 1), 0x3000);
	assert_int_equal(fdt64_ld(fdt_getprop(fdt, a, "vmcfg,key", NULL)), 3);
	assert_string_equal(fdt_getprop(fdt, a, "vmcfg,publisher", NULL), "t");
	assert_non_null(fdt_getprop(fdt, a, "no-map", NULL));
	assert_null(fdt_getprop(fdt, a, "vmcfg,read-only", NULL));
	int b = fdt_path_offset(fdt, "/reserved-memory/ivc@91003000");
	assert_true(b >= 0);
	assert_int_equal(reg_at(fdt, b, 1), 0x1000);
	assert_int_equal(fdt64_ld(fdt_getprop(fdt, b, "vmcfg,key", NULL)), 4);
	assert_string_equal(fdt_getprop(fdt, b, "vmcfg,publisher", NULL), "x");
	assert_non_null(fdt_getprop(fdt, b, "vmcfg,read-only", NULL));
	int rest = fdt_path_offset(fdt, "/reserved-memory/ivc@91004000");
	assert_true(rest >= 0);
	assert_string_equal(fdt_getprop(fdt, rest, "compatible", NULL), "vmcfg,ivc-window");
	assert_int_equal(reg_at(fdt, rest, 1), 0xc000);
	assert_int_equal(vmcfg_fdt_dtc("dtb", "dts", fdt, size, &dts, &dts_len), 0);
	free(dts);
	free(fdt);
	vmcfg_system_free((struct vmcfg_system *)opts.system);

	/* A channel filling the window: nothing left to reserve beside it. */
	opts.system = load_system(full);
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size), 0);
	assert_true(fdt_path_offset(fdt, "/reserved-memory/ivc@91000000") >= 0);
	int n = 0;
	fdt_for_each_subnode(a, fdt, fdt_path_offset(fdt, "/reserved-memory"))
		n++;
	assert_int_equal(n, 1);
	free(fdt);
	vmcfg_system_free((struct vmcfg_system *)opts.system);

	/* One byte more than the window: no tree. */
	opts.system = load_system(too_big);
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size),
			 VMCFG_ERANGE);
	assert_null(fdt);
	vmcfg_system_free((struct vmcfg_system *)opts.system);

	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

static void test_guest_emulated_console(void **state)
{
	static const char text[] =
		"[base]\nid = 1\nname = \"t\"\nvm_type = 1\ncpu_num = 1\nphys_cpu_ids = [0]\n"
		"[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k.bin\"\n"
		"kernel_load_addr = 0x4008_0000\nmemory_regions = [[0x4000_0000, 0x100_0000, 0x7, 0]]\n"
		"[devices]\ninterrupt_mode = \"emu\"\npassthrough_devices = []\nemu_devices = [\n"
		"  [\"gic\", 0x0800_0000, 0x1_0000, 0, 0x01, []],\n"
		"  [\"console\", 0x0900_0000, 0x1000, 33, 0x02, []],\n]\n";
	struct vmcfg_fdt_platform *host = open_qemu();
	struct vmcfg_vm_spec *spec;
	size_t size;
	int len;
	(void)state;

	assert_int_equal(vmcfg_vm_spec_load(text, strlen(text), "vm.toml", &vmcfg_host_allocator, &diags, &spec), 0);
	char *fdt = build_guest(host, spec, &size);
	int uart = fdt_path_offset(fdt, "/pl011@9000000");
	assert_true(uart >= 0);
	assert_true(fdt_node_check_compatible(fdt, uart, "arm,primecell") == 0);
	/* SPI 1 = INTID 33, level-high; the parent is the root's, the emulated GIC. */
	const fdt32_t *irq = fdt_getprop(fdt, uart, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_ld(&irq[0]), 0);
	assert_int_equal(fdt32_ld(&irq[1]), 1);
	assert_int_equal(fdt32_ld(&irq[2]), 4);
	const fdt32_t *clocks = fdt_getprop(fdt, uart, "clocks", &len);
	assert_int_equal(len, 8);
	int clk = fdt_node_offset_by_phandle(fdt, fdt32_ld(&clocks[1]));
	assert_true(clk >= 0);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, clk, "clock-frequency", NULL)), 24000000);
	assert_int_not_equal(fdt32_ld(&clocks[0]), fdt_get_phandle(fdt, fdt_path_offset(fdt, "/interrupt-controller@8000000")));
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL),
			    "/pl011@9000000");
	free(fdt);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

/*
 * riscv64: a PLIC's 1-cell specifiers are its sources; below a path the
 * PLIC itself is the hypervisor's (not a window), and the sources of the
 * devices selected are the VM's, each once, ascending.
 */
static void test_plic_sources(void **state)
{
	struct vmcfg_fdt_platform *host;
	struct vmcfg_fdt_irq q[4];
	size_t n;
	(void)state;

	assert_int_equal(vmcfg_fdt_platform_load(shared_path("platforms/qemu-virt-riscv64.dts"), &host, &diags), 0);
	assert_int_equal(irqs(host, "/soc/serial@10000000", q, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(q[0].kind, VMCFG_FDT_IRQ_PLIC);
	assert_int_equal(q[0].number, 10);
	assert_int_equal(q[0].intid, 0);
	assert_int_equal(q[0].controller, vmcfg_fdt_find(host, "/soc/plic@c000000"));

	struct vmcfg_fdt_expansion *exp = expand(host, "/soc", NULL);
	assert_false(overlaps(exp, 0x0c000000, 0x600000));
	assert_true(has_window(exp, 0x10000000, 0x100));
	assert_true(exp->spi_count >= 2);
	for (size_t k = 0; k < exp->spi_count; k++) {
		assert_int_equal(exp->spis[k].intid, 0);
		assert_true(exp->spis[k].spi >= 1 && exp->spis[k].spi <= 1023);
		assert_true(k == 0 || exp->spis[k - 1].spi < exp->spis[k].spi);
	}
	bool uart = false, rtc = false;
	for (size_t k = 0; k < exp->spi_count; k++) {
		uart |= exp->spis[k].spi == 10;
		rtc |= exp->spis[k].spi == 11;
	}
	assert_true(uart && rtc);
	vmcfg_fdt_expansion_free(exp);
	/* Named itself, the PLIC is selected as it is (AxVisor's files pass it through). */
	exp = expand(host, "/soc/plic@c000000", NULL);
	assert_true(has_window(exp, 0x0c000000, 0x600000));
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
}

/* The riscv64 guest DT against QEMU's riscv64 virt: harts, local controllers, the vPLIC, the 16550. */
static void test_guest_riscv(void **state)
{
	static const char text[] =
		"[base]\nid = 1\nname = \"rv\"\nvm_type = 1\ncpu_num = 2\nphys_cpu_ids = [0, 1]\n"
		"[kernel]\nentry_point = 0x8020_0000\nkernel_path = \"k.bin\"\ncmdline = \"console=ttyS0\"\n"
		"kernel_load_addr = 0x8020_0000\nmemory_regions = [[0x8000_0000, 0x400_0000, 0x7, 0]]\n"
		"[devices]\ninterrupt_mode = \"emu\"\npassthrough_devices = []\nemu_devices = [\n"
		"  [\"console\", 0x1000_0000, 0x1000, 10, 0x02, []],\n]\n";
	struct vmcfg_fdt_platform *host;
	struct vmcfg_vm_spec *spec;
	size_t size;
	int len;
	(void)state;

	assert_int_equal(vmcfg_fdt_platform_load(shared_path("platforms/qemu-virt-riscv64.dts"), &host, &diags), 0);
	assert_int_equal(host->platform.arch, VMCFG_ARCH_RISCV64);
	assert_int_equal(vmcfg_vm_spec_load(text, strlen(text), "vm.toml", &vmcfg_host_allocator, &diags, &spec), 0);
	char *fdt = build_guest(host, spec, &size);

	int cpus = fdt_path_offset(fdt, "/cpus");
	assert_true(cpus >= 0);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, cpus, "timebase-frequency", &len)), 10000000);
	uint32_t intc[2];
	for (int k = 0; k < 2; k++) {
		char path[32];
		snprintf(path, sizeof path, "/cpus/cpu@%d", k);
		int cpu = fdt_path_offset(fdt, path);
		assert_true(cpu >= 0);
		assert_int_equal(fdt32_ld(fdt_getprop(fdt, cpu, "reg", &len)), k);
		/* The host's ISA without H and Sstc: the guest gets neither. */
		assert_string_equal(fdt_getprop(fdt, cpu, "riscv,isa", NULL),
				    "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs");
		assert_string_equal(fdt_getprop(fdt, cpu, "mmu-type", NULL), "riscv,sv48");
		int ic = fdt_subnode_offset(fdt, cpu, "interrupt-controller");
		assert_true(ic >= 0);
		assert_true(fdt_node_check_compatible(fdt, ic, "riscv,cpu-intc") == 0);
		intc[k] = fdt_get_phandle(fdt, ic);
		assert_int_not_equal(intc[k], 0);
	}
	assert_int_not_equal(intc[0], intc[1]);
	assert_true(fdt_path_offset(fdt, "/psci") < 0);
	assert_true(fdt_path_offset(fdt, "/timer") < 0);

	int plic = fdt_path_offset(fdt, "/plic@c000000");
	assert_true(plic >= 0);
	assert_true(fdt_node_check_compatible(fdt, plic, "riscv,plic0") == 0);
	assert_int_equal(reg_at(fdt, plic, 0), VMCFG_VPLIC_BASE);
	assert_int_equal(reg_at(fdt, plic, 1), VMCFG_VPLIC_SIZE);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, plic, "riscv,ndev", NULL)), VMCFG_VPLIC_NDEV);
	/* Contexts 2k (M, 11) and 2k + 1 (S, 9) per vCPU k, as QEMU's. */
	const fdt32_t *ext = fdt_getprop(fdt, plic, "interrupts-extended", &len);
	assert_int_equal(len, 4 * 8);
	static const uint32_t want_irq[] = { 11, 9, 11, 9 };
	for (int c = 0; c < 4; c++) {
		assert_int_equal(fdt32_ld(&ext[2 * c]), intc[c / 2]);
		assert_int_equal(fdt32_ld(&ext[2 * c + 1]), want_irq[c]);
	}
	uint32_t plic_ph = fdt_get_phandle(fdt, plic);
	/* No root interrupt-parent: Linux would make the PLIC the harts' controllers' parent. */
	assert_null(fdt_getprop(fdt, 0, "interrupt-parent", NULL));

	int uart = fdt_path_offset(fdt, "/serial@10000000");
	assert_true(uart >= 0);
	assert_true(fdt_node_check_compatible(fdt, uart, "ns16550a") == 0);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, uart, "interrupts", NULL)), 10);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, uart, "interrupt-parent", NULL)), plic_ph);
	assert_int_equal(fdt32_ld(fdt_getprop(fdt, uart, "clock-frequency", NULL)), 3686400);
	int chosen = fdt_path_offset(fdt, "/chosen");
	assert_string_equal(fdt_getprop(fdt, chosen, "stdout-path", NULL), "/serial@10000000");
	assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", NULL), "console=ttyS0");
	free(fdt);

	/* no_irq: no PLIC and no interrupts; --arch aarch64 against this host builds the ARM tree. */
	struct vmcfg_vm_config *cfg;
	assert_int_equal(vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg), 0);
	cfg->irq_mode = VMCFG_IRQ_NONE;
	struct vmcfg_fdt_guest_opts opts = { 0, NULL, VMCFG_ARCH_UNKNOWN };
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size), 0);
	assert_true(fdt_path_offset(fdt, "/plic@c000000") < 0);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/serial@10000000"), "interrupts", NULL));
	free(fdt);
	opts.arch = VMCFG_ARCH_AARCH64;
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size), 0);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/cpus/cpu@0"), "enable-method", NULL), "psci");
	free(fdt);
	opts.arch = VMCFG_ARCH_X86_64;
	assert_int_equal(vmcfg_fdt_guest_build(host, cfg, NULL, &opts, &diags, &fdt, &size), VMCFG_ENOSYS);
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

static void test_guest_passthrough_root(void **state)
{
	struct vmcfg_fdt_platform *host = open_qemu();
	size_t size;
	(void)state;

	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 1\nphys_cpu_ids = [0]",
				       "[0x4000_0000, 0x1000_0000, 0x7, 1]",
				       "passthrough_devices = [[\"/\"]]\ninterrupt_mode = \"passthrough\"\n"
				       "excluded_devices = [[\"/pcie@10000000\"]]");
	char *fdt = build_guest(host, spec, &size);
	/*
	 * Not the host's GIC node (the hypervisor keeps the GIC) but the vGIC at
	 * its frames: GICD and one redistributor, no ITS; the host's phandle kept.
	 */
	assert_true(fdt_path_offset(fdt, "/intc@8000000") < 0);
	int gic = fdt_path_offset(fdt, "/interrupt-controller@8000000");
	assert_true(gic >= 0);
	assert_true(fdt_subnode_offset(fdt, gic, "its@8080000") < 0);
	assert_int_equal(fdt_get_phandle(fdt, gic), 0x8003);
	const fdt32_t *reg = fdt_getprop(fdt, gic, "reg", NULL);
	assert_non_null(reg);
	assert_int_equal(fdt32_ld(&reg[1]), 0x8000000);
	assert_int_equal(fdt32_ld(&reg[5]), 0x80a0000);
	assert_int_equal(fdt32_ld(&reg[7]), 0x20000);
	assert_true(fdt_path_offset(fdt, "/pcie@10000000") < 0);
	assert_true(fdt_path_offset(fdt, "/virtio_mmio@a000000") >= 0);
	/* The gpio-keys' gpios reference the PL061, which is in the guest. */
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/gpio-keys/poweroff"), "gpios", NULL));
	/* One /cpus (the generated one), one /chosen, one /memory. */
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@0") >= 0);
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@1") < 0);
	assert_int_equal(count_rule(VMCFG_R_FDT_DANGLING), 0);
	free(fdt);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

static void test_guest_drops_dangling(void **state)
{
	static const char *const dts =
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;\n"
		"  gic: intc@8000000 { compatible = \"arm,gic-v3\"; interrupt-controller;\n"
		"    #interrupt-cells = <3>; reg = <0 0x8000000 0 0x10000 0 0x80a0000 0 0x40000>; };\n"
		"  cru: cru@1000 { #clock-cells = <1>; reg = <0 0x1000 0 0x100>; };\n"
		"  serial@2000 { reg = <0 0x2000 0 0x100>; interrupts = <0 3 4>;\n"
		"    clocks = <&cru 1>; dmas = <0x4e 4>; status = \"okay\"; };\n"
		"  cpus { #address-cells = <1>; #size-cells = <0>;\n"
		"    cpu@0 { device_type = \"cpu\"; reg = <0>; compatible = \"arm,cortex-a55\"; }; };\n"
		"  memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x40000000>; };\n"
		"};\n";
	struct vmcfg_fdt_platform *host = open_dts(dts);
	size_t size;
	(void)state;

	struct vmcfg_vm_spec *spec = load_vm("cpu_num = 1", "[0x4000_0000, 0x1000_0000, 0x7, 0]",
				       "passthrough_devices = [[\"/serial@2000\"]]\ninterrupt_mode = \"no_irq\"");
	char *fdt = build_guest(host, spec, &size);
	int serial = fdt_path_offset(fdt, "/serial@2000");
	assert_true(serial >= 0);
	/* clocks → a controller outside the VM; dmas → a phandle no node has: both dropped. */
	assert_null(fdt_getprop(fdt, serial, "clocks", NULL));
	assert_null(fdt_getprop(fdt, serial, "dmas", NULL));
	assert_int_equal(count_rule(VMCFG_R_FDT_DANGLING), 2);
	/* no_irq: no interrupt controller, no timer, no interrupt properties. */
	assert_null(fdt_getprop(fdt, serial, "interrupts", NULL));
	assert_null(fdt_getprop(fdt, 0, "interrupt-parent", NULL));
	assert_true(fdt_path_offset(fdt, "/intc@8000000") < 0);
	assert_true(fdt_path_offset(fdt, "/timer") < 0);
	/* The W0406 findings point at the passthrough entry. */
	assert_int_equal(first_of(VMCFG_R_FDT_DANGLING)->primary.span.line, 0); /* config: no spans */
	free(fdt);
	vmcfg_vm_spec_free(spec);
	vmcfg_fdt_platform_free(host);
}

/* --------------------------------------------------- robustness */

static void test_bad_blobs(void **state)
{
	struct vmcfg_fdt_platform *host = (struct vmcfg_fdt_platform *)&diags;
	static const char junk[64] = "not a device tree at all";
	(void)state;

	assert_int_equal(vmcfg_fdt_platform_open(junk, sizeof junk, "junk.dtb", &host, &diags),
			 VMCFG_ESYNTAX);
	assert_null(host);
	assert_int_equal(count_rule(VMCFG_R_FDT_INVALID), 1);
	assert_int_equal(vmcfg_fdt_platform_load("/nonexistent/host.dts", &host, &diags), VMCFG_EIO);
	assert_int_equal(count_rule(VMCFG_R_FDT_INVALID), 2);
	assert_int_equal(vmcfg_fdt_platform_open(NULL, 0, NULL, &host, &diags), VMCFG_EINVAL);
	/* Truncations of a valid blob are refused cleanly. */
	char *blob;
	size_t size;
	assert_int_equal(vmcfg_fdt_read(shared_path("platforms/qemu-virt-aarch64.dts"), &blob, &size), 0);
	for (size_t cut = 0; cut < size; cut += 97) {
		int rc = vmcfg_fdt_platform_open(blob, cut, NULL, &host, &diags);
		assert_int_equal(rc, VMCFG_ESYNTAX);
	}
	/*
	 * Found by fuzz_fdt: a property length of 2^32 - 12 makes libfdt 1.6.1's
	 * 32-bit tag stepping land on the same tag again, and fdt_check_full()
	 * never returns. The blob must be refused, promptly.
	 */
	int prop = fdt_first_property_offset(blob, fdt_path_offset(blob, "/pl011@9000000"));
	assert_true(prop > 0);
	uint32_t huge = cpu_to_fdt32(0xfffffff4u);
	memcpy(blob + fdt_off_dt_struct(blob) + (size_t)prop + 4, &huge, sizeof huge);
	assert_int_equal(vmcfg_fdt_platform_open(blob, size, NULL, &host, &diags), VMCFG_ESYNTAX);
	assert_null(host);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ranges_translation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plic_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_and_excluded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dependency_closure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_like_libfdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_pl011, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_root_without_gic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qemu_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_emu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_static_ivc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_emulated_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_riscv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_passthrough_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_drops_dangling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_blobs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
