/* SPDX-License-Identifier: MIT */
/* vmcfg show: the resolved configuration of one VM, for a person. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "load.h"

static void show_usage(FILE *out)
{
	fprintf(out, "usage: vmcfg show FILE\n\n"
		     "Prints the resolved configuration of a VM: a summary, the vCPU table\n"
		     "(vCPU -> allowed physical CPUs -> physical id), the guest-physical memory\n"
		     "map sorted by address, the devices and the interrupt mode.\n");
}

static const char *vm_type_name(uint32_t t)
{
	return t == VMCFG_VM_HOST ? "host" : t == VMCFG_VM_RTOS ? "rtos" : t == VMCFG_VM_LINUX ? "linux" : "?";
}

static const char *map_type_name(enum vmcfg_map_type t)
{
	return t == VMCFG_MAP_ALLOC ? "alloc" : t == VMCFG_MAP_IDENTICAL ? "identical" : "reserved";
}

static void flags_text(char out[8], uint32_t f)
{
	snprintf(out, 8, "%c%c%c%s", f & VMCFG_MEM_READ ? 'r' : '-', f & VMCFG_MEM_WRITE ? 'w' : '-',
		 f & VMCFG_MEM_EXECUTE ? 'x' : '-',
		 f & VMCFG_MEM_DEVICE ? "d" : f & VMCFG_MEM_UNCACHED ? "u" : "");
}

struct map_row {
	uint64_t gpa, size;
	char kind[24];
	char detail[96];
};

static int compare_rows(const void *a, const void *b)
{
	const struct map_row *x = a, *y = b;
	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* "{0,2,5}": the physical CPUs of an affinity mask. */
static void mask_text(char *out, size_t size, uint64_t mask)
{
	size_t n = (size_t)snprintf(out, size, "{");
	for (int i = 0; i < 64 && n < size; i++)
		if (mask >> i & 1)
			n += (size_t)snprintf(out + n, size - n, "%s%d", n > 1 ? "," : "", i);
	if (n < size)
		snprintf(out + n, size - n, "}");
}

static void show_vcpus(const struct vmcfg_vm_config *cfg)
{
	struct vmcfg_vm_vcpu_affinity *aff = calloc(cfg->cpu_num ? cfg->cpu_num : 1, sizeof *aff);
	if (!aff)
		return;
	int n = vmcfg_vm_config_vcpu_affinities(cfg, aff, cfg->cpu_num);
	printf("\nvCPUs\n  vcpu  pcpus             phys id\n");
	for (int i = 0; i < n; i++) {
		char mask[200], id[VMCFG_FMT_BUF];
		if (aff[i].has_mask)
			mask_text(mask, sizeof mask, aff[i].pcpu_mask);
		else
			snprintf(mask, sizeof mask, "any");
		printf("  %-4u  %-17s %s%s\n", aff[i].vcpu_id, mask, vmcfg_fmt_hex(id, aff[i].phys_id),
		       i == 0 ? "  (boot)" : "");
	}
	free(aff);
}

static void show_memory_map(const struct vmcfg_vm_config *cfg)
{
	size_t n = cfg->region_count + cfg->emu_count + cfg->pt_count + cfg->pt_address_count;
	struct map_row *rows = calloc(n ? n : 1, sizeof *rows);
	size_t k = 0;
	if (!rows)
		return;
	for (size_t i = 0; i < cfg->region_count; i++) {
		const struct vmcfg_vm_mem_region *r = &cfg->regions[i];
		char fl[8];
		flags_text(fl, r->flags);
		rows[k] = (struct map_row){ .gpa = r->gpa, .size = r->size };
		snprintf(rows[k].kind, sizeof rows[k].kind, "ram %s", map_type_name(r->map_type));
		snprintf(rows[k].detail, sizeof rows[k].detail, "%s%s", fl,
			 r->flags & VMCFG_MEM_DEVICE ? " (DEVICE: skipped at creation)" : "");
		k++;
	}
	for (size_t i = 0; i < cfg->emu_count; i++) {
		const struct vmcfg_vm_emu_device *d = &cfg->emu[i];
		const char *tn = vmcfg_emu_type_name(d->emu_type);
		rows[k] = (struct map_row){ .gpa = d->base_gpa, .size = d->length };
		snprintf(rows[k].kind, sizeof rows[k].kind, "emulated");
		snprintf(rows[k].detail, sizeof rows[k].detail, "%s (%s)", d->name, tn ? tn : "?");
		k++;
	}
	for (size_t i = 0; i < cfg->pt_count; i++) {
		const struct vmcfg_vm_pt_device *d = &cfg->pt[i];
		if (!d->length)
			continue; /* a device-tree path: resolved against a host DT */
		rows[k] = (struct map_row){ .gpa = d->base_gpa, .size = d->length };
		snprintf(rows[k].kind, sizeof rows[k].kind, "passthrough");
		char hpa[VMCFG_FMT_BUF];
		snprintf(rows[k].detail, sizeof rows[k].detail, "%s -> hpa %s", d->name,
			 vmcfg_fmt_hex(hpa, d->base_hpa));
		k++;
	}
	for (size_t i = 0; i < cfg->pt_address_count; i++) {
		rows[k] = (struct map_row){ .gpa = cfg->pt_addresses[i].gpa,
					    .size = cfg->pt_addresses[i].length };
		snprintf(rows[k].kind, sizeof rows[k].kind, "passthrough");
		snprintf(rows[k].detail, sizeof rows[k].detail, "address window (identity)");
		k++;
	}
	qsort(rows, k, sizeof *rows, compare_rows);
	printf("\nguest physical memory map\n  %-21s %-21s %-10s %-15s %s\n", "start", "end", "size",
	       "kind", "");
	for (size_t i = 0; i < k; i++) {
		char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
		uint64_t end = rows[i].gpa + rows[i].size; /* display only; wrap shown as is */
		printf("  %-21s %-21s %-10s %-15s %s\n", vmcfg_fmt_hex(a, rows[i].gpa),
		       vmcfg_fmt_hex(b, end), vmcfg_fmt_size(s, rows[i].size), rows[i].kind,
		       rows[i].detail);
	}
	free(rows);
}

static void show_image(const char *what, const struct vmcfg_vm_image *img)
{
	char a[VMCFG_FMT_BUF];
	if (!img->present)
		return;
	printf("  %-8s %-21s %s\n", what, img->has_load_gpa ? vmcfg_fmt_hex(a, img->load_gpa) : "-",
	       img->path ? img->path : "(no file)");
}

int cmd_show(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		show_usage(stdout);
		return 0;
	}
	if (argc == 2 && argv[1][0] == '-' && argv[1][1])
		return vmcfg_usage_error("show", "unknown option '%s'", argv[1]);
	if (argc != 2)
		return vmcfg_usage_error("show", "give one VM FILE (or - for standard input)");
	struct vm_set set;
	int status = vm_set_load_one(&set, argv[1]);
	if (status == 0) {
		const struct vmcfg_vm_config *cfg = set.files[0].config;
		char a[VMCFG_FMT_BUF];
		printf("VM %llu \"%s\"  type %s  %u vCPU%s  interrupts %s\n",
		       (unsigned long long)cfg->id, cfg->name, vm_type_name(cfg->vm_type),
		       cfg->cpu_num, cfg->cpu_num == 1 ? "" : "s", vmcfg_irq_mode_name(cfg->irq_mode));
		printf("entry %s (boot vCPU and secondaries)\n", vmcfg_fmt_hex(a, cfg->bsp_entry));
		printf("\nimages (%s)\n",
		       cfg->image_location == VMCFG_IMAGE_MEMORY ? "built into the hypervisor image"
								 : "loaded from a file system");
		show_image("kernel", &cfg->kernel);
		show_image("bios", &cfg->bios);
		show_image("dtb", &cfg->dtb);
		show_image("ramdisk", &cfg->ramdisk);
		if (cfg->cmdline)
			printf("  cmdline  \"%s\"\n", cfg->cmdline);
		show_vcpus(cfg);
		show_memory_map(cfg);
		bool dt = false;
		for (size_t i = 0; i < cfg->pt_count; i++)
			dt |= cfg->pt[i].length == 0;
		if (dt) {
			printf("\ndevice-tree passthrough (needs a host device tree to resolve)\n");
			for (size_t i = 0; i < cfg->pt_count; i++)
				if (!cfg->pt[i].length)
					printf("  %s\n", cfg->pt[i].name);
			for (size_t i = 0; i < cfg->excluded_count; i++)
				printf("  excluded: %s\n", cfg->excluded[i]);
		}
	}
	vm_set_free(&set);
	return status;
}
