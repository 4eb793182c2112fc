/* SPDX-License-Identifier: MIT */
/*
 * vmcfg build: builds every VM with the library's vmcfg_vm_create on a simulated
 * host (sim_host.h) and prints what the hypervisor would get: vCPUs, the
 * stage-2 map, page-table pages, devices, passthrough and IVC windows,
 * images. VMs are built side by side on one host, as they would boot, so
 * host memory two VMs both claim is found.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "load.h"
#include "sim_host.h"
#include "vmcfg/host.h"
#include "vmcfg/json.h"
#include "vmcfg/vm.h"

static void build_usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg build [OPTIONS] FILE...\n"
		"       vmcfg build [OPTIONS] --system SYSTEM.toml\n\n"
		"Checks the VM files, then builds every VM without errors the way the\n"
		"hypervisor does (vmcfg_vm_create: stage-2 tables, vCPUs, devices, passthrough,\n"
		"images) on a simulated host, all VMs side by side, and prints per VM the\n"
		"vCPU table, the stage-2 map (GPA -> HPA, size, attributes, block sizes),\n"
		"page-table pages, devices, passthrough and IVC windows, and images.\n"
		"Simulated host RAM: the platform's RAM banks (--platform, or --system with\n"
		"a [platform]; banks that overlap count once);\n"
		"else RAM under every identical region plus an allocation pool above every\n"
		"host address the files name; at most 4 TiB (more: exit 2). Allocated RAM is\n"
		"taken as the hypervisor takes it: frames at creation, zeroed at first touch\n"
		"(backing \"deferred\"). Images are read when their file exists\n"
		"(relative paths start at the VM file's folder); else the VM is built\n"
		"without the image bytes and the output says so. An image that exists but\n"
		"cannot be read (no permission, a device, over 1 GiB) is an error: that\n"
		"VM is not built and the exit status is 2. VM files are limited to 64 MiB.\n\n"
		"options:\n"
		"  --system FILE   build the VMs of a system file (docs/system-file.md)\n"
		"  --platform DT   the host's device tree (.dtb or .dts): its RAM, CPUs and\n"
		"                  GIC; device-tree-path passthrough entries are resolved\n"
		"                  (without one, a VM is built without them, with a\n"
		"                  warning naming each)\n"
		"  --arch A        aarch64 (default without a platform), riscv64, x86_64\n"
		"  --format FMT    text (default) or json\n"
		"  --dump-pt       also print every page-table descriptor\n"
		"  -h, --help      this text\n\n"
		"exit status: 0 every VM built, 1 a VM or the system file has errors or a VM\n"
		"failed to build, 2 usage error, unreadable file or unreadable image\n");
}

static const char *const image_names[4] = { "kernel", "bios", "dtb", "ramdisk" };

/* What became of one VM file. */
struct built {
	const struct vm_file *file;
	struct vmcfg_vm *vm;          /* NULL when not built */
	char error[256];        /* why not, when not built */
	struct sim_log_line *log; /* warnings while building (moved out of the host) */
	size_t log_count;
	char *image_note[4];    /* "not found" notes per image kind, NULL when none */
	bool image_error;       /* an image exists but cannot be read: not built (b->error) */
	char *image_data[4];
	size_t image_len[4];
};

struct build_opts {
	enum vmcfg_arch arch;
	bool json, dump_pt;
	bool host_dt; /* a host device tree resolved the device-tree-path entries */
};

/* ---- images ---- */

/* The largest image read: beyond any guest kernel or ramdisk, short of exhausting the host. */
#define MAX_IMAGE ((size_t)1 << 30)
#define MAX_IMAGE_TEXT "1 GiB"

/* path relative to the VM file's folder, unless absolute. */
static char *image_path(const char *vm_file, const char *path)
{
	const char *slash = strrchr(vm_file, '/');
	size_t dir = path[0] == '/' || !slash ? 0 : (size_t)(slash - vm_file) + 1;
	char *full = malloc(dir + strlen(path) + 1);
	if (full) {
		memcpy(full, vm_file, dir);
		strcpy(full + dir, path);
	}
	return full;
}

static void read_images(struct built *b, struct vmcfg_vm_image_data *imgs, size_t *n)
{
	const struct vmcfg_vm_config *cfg = b->file->config;
	const struct vmcfg_vm_image *decl[4] = { &cfg->kernel, &cfg->bios, &cfg->dtb, &cfg->ramdisk };
	*n = 0;
	for (int k = 0; k < 4; k++) {
		if (!decl[k]->path || !decl[k]->has_load_gpa)
			continue;
		char *full = image_path(b->file->path, decl[k]->path);
		int rc = full ? vmcfg_read_file_max(full, MAX_IMAGE, &b->image_data[k],
						    &b->image_len[k])
			      : VMCFG_ENOMEM;
		int err = errno;
		if (rc == 0) {
			imgs[(*n)++] = (struct vmcfg_vm_image_data){ (enum vmcfg_image_kind)k,
							       b->image_data[k], b->image_len[k] };
		} else if (!(rc == VMCFG_EIO && err == ENOENT)) {
			/* There but unreadable (a device, too big, no permission): not built. */
			snprintf(b->error, sizeof b->error, "cannot read the %s image %s: %s",
				 image_names[k], full ? full : decl[k]->path,
				 rc == VMCFG_ELIMIT ? "larger than the " MAX_IMAGE_TEXT " image limit"
						    : vmcfg_read_strerror(rc, err));
			fprintf(stderr, "vmcfg build: %s\n", b->error);
			b->image_error = true;
		} else {
			size_t len = strlen(decl[k]->path) + 64;
			b->image_note[k] = malloc(len);
			if (b->image_note[k])
				snprintf(b->image_note[k], len, "%s not found: built without its bytes",
					 full ? full : decl[k]->path);
		}
		free(full);
	}
}

static void build_one(struct built *b, struct sim_host *host, const struct vmcfg_system *sys,
		      const struct build_opts *o)
{
	struct vmcfg_vm_image_data imgs[4];
	size_t n;
	read_images(b, imgs, &n);
	if (b->image_error)
		return;
	sim_host_clear_log(host);
	if (!o->host_dt)
		sim_host_drop_dt_paths(host, b->file->config);
	/* The devices the hypervisor builds through its factory (its vGIC), modelled. */
	struct vmcfg_vm_create_opts co = { .arch = o->arch, .images = imgs, .image_count = n,
					   .defer_zeroing = true,
					   .device_factory = vmcfg_vm_hv_model_factory,
					   .error = b->error, .error_size = sizeof b->error };
	vmcfg_vm_create(b->file->config, sys, &host->hal, &co, &b->vm);
	/* Keep the warnings (the error is in b->error already). */
	b->log = host->log;
	b->log_count = host->log_count;
	host->log = NULL;
	host->log_count = host->log_cap = 0;
}

static void built_free(struct built *b)
{
	if (b->vm)
		vmcfg_vm_destroy(b->vm);
	for (size_t i = 0; i < b->log_count; i++)
		free(b->log[i].text);
	free(b->log);
	for (int k = 0; k < 4; k++) {
		free(b->image_note[k]);
		free(b->image_data[k]);
	}
}

/* ---- text ---- */

static void flags_text(char out[8], uint32_t f)
{
	snprintf(out, 8, "%c%c%c%s", f & VMCFG_MEM_READ ? 'r' : '-', f & VMCFG_MEM_WRITE ? 'w' : '-',
		 f & VMCFG_MEM_EXECUTE ? 'x' : '-',
		 f & VMCFG_MEM_DEVICE ? " dev" : f & VMCFG_MEM_UNCACHED ? " nc" : "");
}

static void blocks_text(char out[16], unsigned leaf_sizes)
{
	static const char *const names[4] = { "4K", "2M", "1G", "512G" };
	size_t n = 0;
	out[0] = '\0';
	for (int l = 3; l >= 0; l--)
		if (leaf_sizes >> l & 1)
			n += (size_t)snprintf(out + n, 16 - n, "%s%s", n ? "," : "", names[l]);
}

static const char *backing(const struct vmcfg_mapping *m)
{
	return m->lazy ? "lazy" : m->deferred ? "deferred" : m->owned ? "owned" : "linear";
}

static int print_mapping(void *ud, const struct vmcfg_mapping *m)
{
	char g[VMCFG_FMT_BUF], e[VMCFG_FMT_BUF], h[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF], f[8], bl[16];
	char range[2 * VMCFG_FMT_BUF + 8];
	(void)ud;
	flags_text(f, m->flags);
	blocks_text(bl, m->leaf_sizes);
	snprintf(range, sizeof range, "[%s, %s)", vmcfg_fmt_hex(g, m->gpa),
		 vmcfg_fmt_hex(e, m->gpa + m->size));
	printf("    %-32s -> %-16s %-9s %-7s %-8s %s\n", range,
	       m->lazy ? "-" : vmcfg_fmt_hex(h, m->hpa), vmcfg_fmt_size(s, m->size), f, bl,
	       backing(m));
	return 0;
}

static int print_desc(void *ud, const struct vmcfg_desc_visit *v)
{
	char t[VMCFG_FMT_BUF], g[VMCFG_FMT_BUF], p[VMCFG_FMT_BUF], f[8];
	(void)ud;
	flags_text(f, v->pte.flags);
	printf("    L%u %s[%3u] gpa %-16s %016llx %-5s %s %s%s\n", v->level,
	       vmcfg_fmt_hex(t, v->table_pa), v->index, vmcfg_fmt_hex(g, v->gpa),
	       (unsigned long long)v->desc, vmcfg_pte_type_name(v->pte.type), vmcfg_fmt_hex(p, v->pte.pa),
	       v->pte.type == VMCFG_PTE_TABLE ? "" : f, v->pte.owned ? " owned" : "");
	return 0;
}

static void print_vcpus(const struct vmcfg_vm *vm)
{
	printf("  vCPUs\n    vcpu  pcpu mask           phys id  arch id      entry          boot regs\n");
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		const struct vmcfg_vm_vcpu *v = &vm->vcpus[i];
		char m[VMCFG_FMT_BUF], p[VMCFG_FMT_BUF], a[VMCFG_FMT_BUF], e[VMCFG_FMT_BUF],
			r0[VMCFG_FMT_BUF], r1[VMCFG_FMT_BUF];
		printf("    %-4u  %-18s  %-7s  %-11s  %-13s  %s %s%s\n", v->id,
		       v->has_mask ? vmcfg_fmt_hex(m, v->pcpu_mask) : "any", vmcfg_fmt_hex(p, v->phys_id),
		       vmcfg_fmt_hex(a, v->arch_id), vmcfg_fmt_hex(e, v->entry),
		       vmcfg_fmt_hex(r0, v->regs[0]), vmcfg_fmt_hex(r1, v->regs[1]),
		       i == 0 ? "  (boot)" : "");
	}
}

static void print_devices(const struct vmcfg_vm *vm)
{
	static const char *const spaces[] = { "mmio", "pio", "sysreg" };
	char b[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF], h[VMCFG_FMT_BUF];
	printf("  emulated devices%s\n", vm->device_count ? "" : ": none");
	for (size_t i = 0; i < vm->device_count; i++) {
		const struct vmcfg_vm_device_info *d = &vm->devices[i];
		const char *type = vmcfg_emu_type_name(d->emu_type);
		printf("    %-16s %-12s %-10s %-6s %s size %s irq %u\n", d->name, type ? type : "?",
		       d->model, spaces[d->space], vmcfg_fmt_hex(b, d->base), vmcfg_fmt_hex(s, d->length),
		       d->irq_id);
	}
	printf("  passthrough windows%s\n", vm->pt_window_count ? "" : ": none");
	for (size_t i = 0; i < vm->pt_window_count; i++) {
		const struct vmcfg_vm_pt_window *w = &vm->pt_windows[i];
		printf("    %-24s GPA %s -> HPA %s size %s%s\n", w->name, vmcfg_fmt_hex(b, w->gpa),
		       vmcfg_fmt_hex(h, w->hpa), vmcfg_fmt_hex(s, w->size),
		       w->merged ? " (merged)" : "");
	}
	if (vm->ivc_window_size)
		printf("  IVC window: %s size %s\n", vmcfg_fmt_hex(b, vm->ivc_window_gpa),
		       vmcfg_fmt_size(s, vm->ivc_window_size));
	else
		printf("  IVC window: none\n");
	printf("  interrupt mode: %s, %ss: %zu\n", vmcfg_irq_mode_name(vm->irq_mode),
	       vmcfg_arch_host_irq_name(vm->arch), vm->spi_count);
}

static void print_images(const struct built *b)
{
	printf("  images\n");
	for (int k = 0; k < 4; k++) {
		char g[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
		const struct vmcfg_vm_loaded_image *img = b->vm ? &b->vm->images[k] : NULL;
		if (img && img->loaded)
			printf("    %-8s at %s, %s%s\n", image_names[k], vmcfg_fmt_hex(g, img->gpa),
			       vmcfg_fmt_size(s, img->len),
			       img->arm64_header ? " (arm64 Image header checked)" : "");
		else if (b->image_note[k])
			printf("    %-8s %s\n", image_names[k], b->image_note[k]);
	}
}

static void print_text(const struct built *b, const struct build_opts *o)
{
	const struct vmcfg_vm_config *cfg = b->file->config;
	uint64_t id;
	const char *name;
	vm_file_identity(b->file, &id, &name);
	printf("\nvm %llu \"%s\" (%s): %s\n", (unsigned long long)id, name, b->file->path,
	       b->vm ? "built" : "NOT BUILT");
	for (size_t i = 0; i < b->log_count; i++)
		if (b->log[i].level == VMCFG_LOG_WARN)
			printf("  warning: %s\n", b->log[i].text);
	if (!b->vm) {
		printf("  error: %s\n", cfg ? b->error : "the file has errors (see above)");
		return;
	}
	const struct vmcfg_vm *vm = b->vm;
	struct vmcfg_aspace_stats st;
	struct vmcfg_pt_regs regs = { 0, 0 };
	char r[VMCFG_FMT_BUF], c[VMCFG_FMT_BUF];
	vmcfg_aspace_stats(&vm->aspace, &st);
	vmcfg_vm_stage2_regs(vm, &regs);
	printf("  %s, stage 2 %s, %u-bit IPA, %u-bit PA; root %s control %s\n",
	       vmcfg_arch_name(vm->arch), vm->aspace.fmt->name, vm->aspace.ipa_bits, vm->pa_bits,
	       vmcfg_fmt_hex(r, regs.root), vmcfg_fmt_hex(c, regs.control));
	print_vcpus(vm);
	printf("  stage-2 map\n    %-32s    %-16s %-9s %-7s %-8s %s\n", "GPA", "HPA", "size", "attrs",
	       "blocks", "backing");
	vmcfg_aspace_for_each(&vm->aspace, print_mapping, NULL);
	printf("  page-table pages: %llu\n", (unsigned long long)st.table_pages);
	if (o->dump_pt) {
		printf("  descriptors\n");
		vmcfg_aspace_for_each_desc(&vm->aspace, print_desc, NULL);
	}
	print_devices(vm);
	print_images(b);
}

/* ---- JSON ---- */

static struct vmcfg_writer out_w;

static void jraw(const char *s)
{
	vmcfg_json_write_raw(&out_w, s);
}

static void jstr(const char *s)
{
	if (s)
		vmcfg_json_write_string(&out_w, s, strlen(s));
	else
		jraw("null");
}

static void jkey_u64(const char *key, uint64_t v)
{
	jraw(key);
	vmcfg_json_write_uint(&out_w, v);
}

/* An address, size, mask or flags: "0x…" (docs/json.md). */
static void jkey_hex(const char *key, uint64_t v)
{
	jraw(key);
	vmcfg_json_write_hex(&out_w, v);
}

static int json_mapping(void *ud, const struct vmcfg_mapping *m)
{
	bool *first = ud;
	char f[8];
	jraw(*first ? "{" : ",{");
	*first = false;
	jkey_hex("\"gpa\":", m->gpa);
	jkey_hex(",\"hpa\":", m->hpa);
	jkey_hex(",\"size\":", m->size);
	flags_text(f, m->flags);
	jkey_hex(",\"flags\":", m->flags);
	jraw(",\"attrs\":");
	jstr(f);
	jraw(",\"backing\":");
	jstr(backing(m));
	jraw(",\"block_sizes\":[");
	bool fb = true;
	for (unsigned l = 0; l < 4; l++)
		if (m->leaf_sizes >> l & 1) {
			jraw(fb ? "" : ",");
			vmcfg_json_write_hex(&out_w, vmcfg_pt_level_size(l));
			fb = false;
		}
	jraw("]}");
	return 0;
}

static int json_desc(void *ud, const struct vmcfg_desc_visit *v)
{
	bool *first = ud;
	jraw(*first ? "{" : ",{");
	*first = false;
	jkey_u64("\"level\":", v->level);
	jkey_hex(",\"table\":", v->table_pa);
	jkey_u64(",\"index\":", v->index);
	jkey_hex(",\"gpa\":", v->gpa);
	jkey_hex(",\"desc\":", v->desc);
	jraw(",\"type\":");
	jstr(vmcfg_pte_type_name(v->pte.type));
	jraw("}");
	return 0;
}

static void json_vm_body(const struct vmcfg_vm *vm, const struct build_opts *o)
{
	struct vmcfg_aspace_stats st;
	vmcfg_aspace_stats(&vm->aspace, &st);
	jraw(",\"arch\":");
	jstr(vmcfg_arch_name(vm->arch));
	jraw(",\"pt_format\":");
	jstr(vm->aspace.fmt->name);
	jkey_u64(",\"ipa_bits\":", vm->aspace.ipa_bits);
	jraw(",\"vcpus\":[");
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		const struct vmcfg_vm_vcpu *v = &vm->vcpus[i];
		jraw(i ? ",{" : "{");
		jkey_u64("\"id\":", v->id);
		jraw(",\"pcpu_mask\":");
		if (v->has_mask)
			vmcfg_json_write_hex(&out_w, v->pcpu_mask);
		else
			jraw("null");
		jkey_hex(",\"phys_id\":", v->phys_id);
		jkey_hex(",\"arch_id\":", v->arch_id);
		jkey_hex(",\"entry\":", v->entry);
		jraw(",\"regs\":[");
		for (int r = 0; r < 4; r++) {
			jraw(r ? "," : "");
			vmcfg_json_write_hex(&out_w, v->regs[r]);
		}
		jraw("]}");
	}
	jraw("],\"mappings\":[");
	bool first = true;
	vmcfg_aspace_for_each(&vm->aspace, json_mapping, &first);
	jkey_u64("],\"pt_pages\":", st.table_pages);
	if (o->dump_pt) {
		jraw(",\"descriptors\":[");
		first = true;
		vmcfg_aspace_for_each_desc(&vm->aspace, json_desc, &first);
		jraw("]");
	}
	jraw(",\"devices\":[");
	for (size_t i = 0; i < vm->device_count; i++) {
		const struct vmcfg_vm_device_info *d = &vm->devices[i];
		jraw(i ? ",{\"name\":" : "{\"name\":");
		jstr(d->name);
		jkey_hex(",\"emu_type\":", d->emu_type);
		jraw(",\"model\":");
		jstr(d->model);
		jkey_hex(",\"base_gpa\":", d->base);
		jkey_hex(",\"length\":", d->length);
		jkey_u64(",\"irq_id\":", d->irq_id);
		jraw("}");
	}
	jraw("],\"passthrough\":[");
	for (size_t i = 0; i < vm->pt_window_count; i++) {
		const struct vmcfg_vm_pt_window *w = &vm->pt_windows[i];
		jraw(i ? ",{\"name\":" : "{\"name\":");
		jstr(w->name);
		jkey_hex(",\"gpa\":", w->gpa);
		jkey_hex(",\"hpa\":", w->hpa);
		jkey_hex(",\"size\":", w->size);
		jraw("}");
	}
	jraw("],\"ivc_window\":");
	if (vm->ivc_window_size) {
		jkey_hex("{\"gpa\":", vm->ivc_window_gpa);
		jkey_hex(",\"size\":", vm->ivc_window_size);
		jraw("}");
	} else {
		jraw("null");
	}
	jraw(",\"interrupt_mode\":");
	jstr(vmcfg_irq_mode_name(vm->irq_mode));
}

static void print_json(const struct built *b, const struct build_opts *o, bool first)
{
	const struct vmcfg_vm_config *cfg = b->file->config;
	uint64_t id;
	const char *name;
	vm_file_identity(b->file, &id, &name);
	jraw(first ? "{\"file\":" : ",{\"file\":");
	jstr(b->file->path);
	jkey_u64(",\"id\":", id);
	jraw(",\"name\":");
	jstr(name);
	jraw(b->vm ? ",\"built\":true,\"error\":null" : ",\"built\":false,\"error\":");
	if (!b->vm)
		jstr(cfg ? b->error : "the file has errors");
	jraw(",\"warnings\":[");
	bool fw = true;
	for (size_t i = 0; i < b->log_count; i++)
		if (b->log[i].level == VMCFG_LOG_WARN) {
			jraw(fw ? "" : ",");
			jstr(b->log[i].text);
			fw = false;
		}
	jraw("],\"images\":[");
	bool fi = true;
	for (int k = 0; k < 4; k++) {
		const struct vmcfg_vm_loaded_image *img = b->vm ? &b->vm->images[k] : NULL;
		if (!(img && img->loaded) && !b->image_note[k])
			continue;
		jraw(fi ? "{\"kind\":" : ",{\"kind\":");
		fi = false;
		jstr(image_names[k]);
		jraw(img && img->loaded ? ",\"loaded\":true" : ",\"loaded\":false");
		if (img && img->loaded) {
			jkey_hex(",\"gpa\":", img->gpa);
			jkey_hex(",\"size\":", img->len);
		} else {
			jraw(",\"note\":");
			jstr(b->image_note[k]);
		}
		jraw("}");
	}
	jraw("]");
	if (b->vm)
		json_vm_body(b->vm, o);
	jraw("}");
}

/* ---- the command ---- */

static int parse_args(int argc, char **argv, struct build_opts *o, struct vm_set_options *load)
{
	static const struct option opts[] = {
		{ "system", required_argument, NULL, 'S' }, { "arch", required_argument, NULL, 'a' },
		{ "platform", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' }, { "dump-pt", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },	    { NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			load->system_path = optarg;
			break;
		case 'P':
			load->platform_path = optarg;
			break;
		case 'a':
			if (!vmcfg_arch_by_name(optarg, &o->arch)) {
				return vmcfg_usage_error("build", "unknown arch '%s' (aarch64, riscv64, x86_64)",
							 optarg);
			}
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				return vmcfg_usage_error("build", "unknown format '%s' (text, json)", optarg);
			}
			o->json = !strcmp(optarg, "json");
			break;
		case 'd':
			o->dump_pt = true;
			break;
		case 'h':
			build_usage(stdout);
			return 0;
		default:
			return vmcfg_usage_bad_option("build", argv, c);
		}
	}
	load->arch = o->arch; /* check holds the files to the arch they are built for */
	if (!vm_set_files_ok(load, (size_t)(argc - optind), "build"))
		return vmcfg_usage_error("build", "give VM FILEs, or --system SYSTEM.toml");
	return -1;
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = { VMCFG_ARCH_UNKNOWN, false, false, false };
	struct vm_set_options load = { 0 };
	int rc = parse_args(argc, argv, &o, &load);
	if (rc >= 0)
		return rc;

	struct vm_set set;
	rc = vm_set_load(&set, argv + optind, (size_t)(argc - optind), &load);
	if (rc) {
		fprintf(stderr, "vmcfg build: %s\n", vmcfg_strerror(rc));
		vm_set_free(&set);
		return 2;
	}
	if (set.diags.count)
		vm_set_report_stderr(&set);
	const struct vmcfg_platform *platform = vm_set_platform(&set);
	o.host_dt = set.host_dt != NULL;
	if (o.arch == VMCFG_ARCH_UNKNOWN)
		o.arch = platform && platform->arch ? platform->arch : VMCFG_ARCH_AARCH64;

	const struct vmcfg_vm_config **configs = calloc(set.count ? set.count : 1, sizeof *configs);
	struct built *built = calloc(set.count ? set.count : 1, sizeof *built);
	struct sim_host host;
	char err[256] = "";
	if (!configs || !built) {
		fprintf(stderr, "vmcfg build: out of memory\n");
		rc = 2;
		goto out_nohost;
	}
	for (size_t i = 0; i < set.count; i++)
		configs[i] = set.files[i].config;
	if (sim_host_init(&host, configs, set.count, platform, err, sizeof err)) {
		fprintf(stderr, "vmcfg build: %s\n", err);
		sim_host_free(&host);
		rc = 2;
		goto out_nohost;
	}

	rc = set.io_error ? 2 : 0;
	out_w = stdio_writer(stdout);
	if (o.json)
		jraw("{\"vms\":[");
	else {
		printf("simulated host RAM%s\n", platform ? " (the platform's)" : "");
		sim_host_describe(&host, stdout);
	}
	for (size_t i = 0; i < set.count; i++) {
		built[i].file = &set.files[i];
		if (set.files[i].config)
			build_one(&built[i], &host, set.system, &o);
		if (built[i].image_error)
			rc = 2;
		if (!built[i].vm && rc == 0)
			rc = 1;
		if (o.json)
			print_json(&built[i], &o, i == 0);
		else
			print_text(&built[i], &o);
	}
	if (o.json) {
		jkey_u64("],\"host_frames_in_use\":", sim_host_frames_in_use(&host));
		jraw("}\n");
	}
	/* Errors of the system file itself (IVC channels, limits) fail the build too. */
	if (rc == 0 && set.diags.errors)
		rc = 1;
	for (size_t i = 0; i < set.count; i++)
		built_free(&built[i]);
	sim_host_free(&host);
out_nohost:
	free(configs);
	free(built);
	vm_set_free(&set);
	return rc;
}
