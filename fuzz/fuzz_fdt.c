/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the host-DT reader (include/vmcfg/fdt.h).
 *
 * The input is a DTB. It is opened as a platform; a blob libfdt rejects
 * must give VMCFG_ESYNTAX, a NULL platform and an E0401 finding. A blob
 * that opens is then exercised end to end and checked:
 *   - the platform: cpu_num within VMCFG_MAX_PCPUS; RAM banks sorted,
 *     disjoint, non-empty and not wrapping; reserved frames not wrapping;
 *   - every node: vmcfg_fdt_node_windows and vmcfg_fdt_node_irqs return a
 *     documented code, a count that agrees between the sizing call and the
 *     filling call, windows that do not wrap, GIC INTIDs in their ranges;
 *   - DT-path passthrough of "/" (every node): windows do not wrap, SPIs
 *     ascend without duplicates, each node appears once, in DT order;
 *   - the guest DT of a fixed two-vCPU VM in passthrough interrupt mode
 *     passes fdt_check_full and has a /cpus and a /memory node.
 * Any violated invariant ends in __builtin_trap(), which libFuzzer reports
 * with the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "vmcfg/fdt.h"
#include "vmcfg/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_fdt: invariant violated at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);                           \
			__builtin_trap();                                            \
		}                                                                    \
	} while (0)

static const char vm_toml[] =
	"[base]\nid = 1\nname = \"fuzz\"\nvm_type = 1\ncpu_num = 2\nphys_cpu_ids = [0, 0x100]\n"
	"[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4008_0000\n"
	"cmdline = \"console=ttyAMA0\"\nramdisk_path = \"r\"\nramdisk_load_addr = 0x4800_0000\n"
	"memory_regions = [[0x4000_0000, 0x1000_0000, 0x7, 0]]\n"
	"[devices]\nemu_devices = [[\"ivc\", 0x9100_0000, 0x1000, 0, 0xA, []]]\n"
	"passthrough_devices = [[\"/\"]]\ninterrupt_mode = \"passthrough\"\n";

/* The VM whose guest DT every input builds; decoded once. */
static struct vmcfg_vm_config *fuzz_vm(void)
{
	static struct vmcfg_vm_config *cfg;
	if (!cfg) {
		struct vmcfg_diags d;
		struct vmcfg_vm_spec *spec = NULL;
		vmcfg_diags_init(&d, &vmcfg_host_allocator);
		CHECK(vmcfg_vm_spec_load(vm_toml, sizeof vm_toml - 1, "fuzz.toml", &vmcfg_host_allocator, &d,
				   &spec) == 0 && spec && d.errors == 0);
		CHECK(vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg) == 0);
		vmcfg_vm_spec_free(spec);
		vmcfg_diags_free(&d);
	}
	return cfg;
}

static bool no_wrap(uint64_t base, uint64_t size)
{
	return size == 0 || base <= UINT64_MAX - (size - 1);
}

static void check_platform(const struct vmcfg_fdt_platform *host)
{
	const struct vmcfg_platform *p = &host->platform;
	CHECK(p->cpu_num <= VMCFG_MAX_PCPUS);
	for (size_t k = 0; k < p->ram_count; k++) {
		CHECK(p->ram[k].size > 0 && no_wrap(p->ram[k].base, p->ram[k].size));
		if (k)
			CHECK(p->ram[k - 1].base <= p->ram[k].base);
	}
	for (size_t k = 0; k < p->reserved_count; k++)
		CHECK(no_wrap(p->reserved[k].base, p->reserved[k].size) && p->reserved[k].name);
}

static void check_node(const struct vmcfg_fdt_platform *host, int off)
{
	struct vmcfg_fdt_window w[8];
	struct vmcfg_fdt_irq q[8];
	size_t n = 99, n2 = 99;
	const char *why = NULL;

	int rc = vmcfg_fdt_node_windows(host, off, NULL, 0, &n, &why);
	CHECK(rc == 0 || rc == VMCFG_ENOSPC || rc == VMCFG_ESYNTAX || rc == VMCFG_ERANGE);
	CHECK((rc == 0) == (n == 0) || rc == VMCFG_ESYNTAX || rc == VMCFG_ERANGE);
	if (rc == VMCFG_ESYNTAX || rc == VMCFG_ERANGE)
		CHECK(why && why[0]);
	int rc2 = vmcfg_fdt_node_windows(host, off, w, 8, &n2, NULL);
	if (rc == 0 || rc == VMCFG_ENOSPC) {
		CHECK(n2 == n);
		for (size_t k = 0; k < n && k < 8; k++)
			CHECK(no_wrap(w[k].base, w[k].size));
	} else {
		CHECK(rc2 == rc);
	}

	rc = vmcfg_fdt_node_irqs(host, off, q, 8, &n, &why);
	CHECK(rc == 0 || rc == VMCFG_ENOSPC || rc == VMCFG_ESYNTAX || rc == VMCFG_ERANGE);
	for (size_t k = 0; (rc == 0 || rc == VMCFG_ENOSPC) && k < n && k < 8; k++) {
		switch (q[k].kind) {
		case VMCFG_FDT_IRQ_SPI:
			CHECK(q[k].intid == 32 + q[k].number && q[k].intid < 1020);
			break;
		case VMCFG_FDT_IRQ_PPI:
			CHECK(q[k].intid >= 16 && q[k].intid < 32);
			break;
		case VMCFG_FDT_IRQ_ESPI:
			CHECK(q[k].intid >= 4096 && q[k].intid < 5120);
			break;
		case VMCFG_FDT_IRQ_EPPI:
			CHECK(q[k].intid >= 1056 && q[k].intid < 1120);
			break;
		case VMCFG_FDT_IRQ_OTHER:
			CHECK(q[k].intid == 0);
			break;
		case VMCFG_FDT_IRQ_PLIC:
			CHECK(q[k].intid == 0 && q[k].number >= 1 && q[k].number <= 1023);
			break;
		}
		CHECK(vmcfg_fdt_path(host, q[k].controller) != NULL);
	}
}

static void check_expansion(const struct vmcfg_fdt_expansion *exp)
{
	for (size_t k = 0; k < exp->window_count; k++)
		CHECK(no_wrap(exp->windows[k].hpa, exp->windows[k].size) && exp->windows[k].node);
	for (size_t k = 1; k < exp->spi_count; k++)
		CHECK(exp->spis[k - 1].spi < exp->spis[k].spi);
	for (size_t k = 1; k < exp->node_count; k++)
		CHECK(exp->nodes[k - 1].offset < exp->nodes[k].offset);
	for (size_t k = 0; k < exp->dep_count; k++)
		CHECK(exp->deps[k].node && exp->deps[k].property && exp->deps[k].target);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcfg_diags diags;
	struct vmcfg_fdt_platform *host = NULL;
	struct vmcfg_vm_config *cfg = fuzz_vm();

	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	int rc = vmcfg_fdt_platform_open(data, size, "fuzz.dtb", &host, &diags);
	if (rc) {
		CHECK(rc == VMCFG_ESYNTAX && !host && diags.errors == 1);
		vmcfg_diags_free(&diags);
		return 0;
	}
	CHECK(host);
	check_platform(host);
	int depth = 0;
	for (int off = 0; off >= 0 && depth >= 0; off = fdt_next_node(host->fdt, off, &depth))
		check_node(host, off);

	struct vmcfg_fdt_expansion *exp = NULL;
	CHECK(vmcfg_fdt_expand_config(host, cfg, &diags, &exp) == 0 && exp);
	check_expansion(exp);

	char *blob = NULL;
	size_t len = 0;
	struct vmcfg_fdt_guest_opts opts = { 0x1000, NULL, VMCFG_ARCH_UNKNOWN };
	rc = vmcfg_fdt_guest_build(host, cfg, exp, &opts, &diags, &blob, &len);
	/* ELIMIT: libfdt refused a host name or tree (documented); anything else builds. */
	CHECK(rc == 0 || rc == VMCFG_ELIMIT);
	if (rc == 0) {
		CHECK(fdt_check_full(blob, len) == 0);
		CHECK(fdt_path_offset(blob, "/cpus") >= 0 && fdt_path_offset(blob, "/memory@40000000") >= 0);
	}
	free(blob);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_fdt_platform_free(host);
	vmcfg_diags_free(&diags);
	return 0;
}
