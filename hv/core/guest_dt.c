/* SPDX-License-Identifier: MIT */
/*
 * Guest DTs at boot through lib/fdt (guest_dt.h). lib/fdt is host code
 * built here unchanged: hv/libfdt-env gives it <stdlib.h>, <stdio.h> and
 * the rest over core/libc.c, heap.c the allocator it names
 * (vmcfg_host_allocator, hv_heap's), and this file the file reader it names,
 * which the hypervisor, reading no files, never reaches
 * (vmcfg_fdt_platform_load only).
 */
#include "core/console.h"
#include "core/files.h"
#include "core/guest_dt.h"
#include "core/heap.h"
#include "core/libc.h"
#include "libfdt-env/stdlib.h"
#include "vmcfg/fdt.h"
#include "vmcfg/host.h"

static struct vmcfg_fdt_platform *host;
/* The host DTB handed over at boot, read by lib/fdt at its first use (host_open). */
static const void *host_blob;
static size_t host_size;
static bool host_tried;
bool hv_guest_dts_all;

int vmcfg_fdt_read(const char *path, char **blob, size_t *size)
{
	(void)path;
	*blob = NULL;
	*size = 0;
	return VMCFG_EIO;
}

/* lib/fdt names read failures with it; here only vmcfg_fdt_read's VMCFG_EIO above. */
const char *vmcfg_read_strerror(int rc, int err)
{
	(void)err;
	return vmcfg_strerror(rc);
}

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32): what the test compares. */
static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The blob without the free space at its end, in a fresh buffer (NULL when
 * there is none to drop or the header does not add up: the caller keeps the
 * original; lib/fdt checks the result in full either way). QEMU hands over
 * 1 MiB of which 8 KiB are used, and lib/fdt copies and token-checks all it
 * is given: 0.2 M of the 2.6 M instructions reading the host DT takes, and
 * 1 MiB of heap. (The rest is lib/fdt walking the tree through libfdt.)
 */
static void *packed_copy(const void *blob, size_t size, size_t *packed)
{
	const uint8_t *b = blob;
	uint64_t used, rsv;
	uint8_t *copy;

	if (size < 40)
		return NULL;
	/* Header fields (big endian): struct and strings blocks, the reservation map. */
	used = (uint64_t)be32_at(b + 8) + be32_at(b + 36);
	if ((uint64_t)be32_at(b + 12) + be32_at(b + 32) > used)
		used = (uint64_t)be32_at(b + 12) + be32_at(b + 32);
	/* The reservation map ends with an entry of two zero u64s. */
	for (rsv = be32_at(b + 16); rsv + 16 <= size; rsv += 16) {
		uint64_t zero = 0;

		if (!memcmp(b + rsv, &zero, 8) && !memcmp(b + rsv + 8, &zero, 8))
			break;
	}
	if (rsv + 16 > used)
		used = rsv + 16;
	if (used >= size || used < 40)
		return NULL;
	copy = malloc((size_t)used);
	if (!copy)
		return NULL;
	memcpy(copy, blob, (size_t)used);
	copy[4] = (uint8_t)(used >> 24), copy[5] = (uint8_t)(used >> 16);
	copy[6] = (uint8_t)(used >> 8), copy[7] = (uint8_t)used;
	*packed = (size_t)used;
	return copy;
}

void hv_guest_dt_init(const void *blob, size_t size)
{
	host_blob = blob;
	host_size = size;
}

/*
 * lib/fdt's platform of the host DTB, read once, when a VM first needs it:
 * walking the tree costs a boot about 2.4 M instructions (BENCHMARKS.md), which
 * a boot whose VMs load no guest DT and pass nothing through skips.
 */
static void host_open(void)
{
	const void *blob = host_blob;
	size_t size = host_size;
	struct vmcfg_diags diags;
	size_t packed = 0;
	void *copy;
	int err;

	if (host_tried)
		return;
	host_tried = true;
	copy = packed_copy(blob, size, &packed);
	vmcfg_diags_init(&diags, &hv_heap);
	err = vmcfg_fdt_platform_open(copy ? copy : blob, copy ? packed : size, "host DT", &host,
				      &diags);
	free(copy); /* lib/fdt keeps a copy of its own */
	if (err)
		hv_log("host DT: not usable for guest DTs: %s", vmcfg_strerror(err));
	else
		hv_log("host DT: %zu bytes, %u CPU(s), %zu RAM bank(s)", size,
		       host->platform.cpu_num, host->platform.ram_count);
	vmcfg_diags_free(&diags);
}

/*
 * The dtb_path DTB fixed up for the VM; NULL (logged) when the file is not
 * built in or is no usable DTB. The ramdisk size is what the CLI takes too.
 */
static char *fixup(const struct vmcfg_vm_config *cfg, const char *cfg_path,
		   const struct vmcfg_fdt_guest_opts *opts, size_t *size, int *err)
{
	const struct hv_file *f = hv_file_find_relative(cfg_path, cfg->dtb.path);
	char *blob = NULL;

	if (!f) {
		*err = VMCFG_ENOENT;
		return NULL;
	}
	*err = vmcfg_fdt_guest_fixup(host, cfg, f->data, (size_t)f->size, opts, &blob, size);
	return blob;
}

static bool has_dt_paths(const struct vmcfg_vm_spec *spec)
{
	for (size_t i = 0; i < spec->devices.pt_count; i++)
		if (spec->devices.pt[i].is_dt_path)
			return true;
	return false;
}

int hv_guest_dt_resolve(const struct vmcfg_vm_spec *spec, struct vmcfg_vm_config *cfg)
{
	struct vmcfg_diags diags;
	int err = 0;

	if (!has_dt_paths(spec) && !cfg->excluded_count)
		return 0; /* nothing to resolve: the host DT stays unread */
	host_open();
	if (!host)
		return 0;
	if (has_dt_paths(spec)) {
		/* `vmcfg check --platform`'s findings for this file: its errors keep the VM out. */
		vmcfg_diags_init(&diags, &hv_heap);
		err = vmcfg_fdt_check(host, NULL, &spec, 1, NULL, &diags);
		for (size_t k = 0; k < diags.count; k++) {
			const struct vmcfg_diag *g = &diags.items[k];

			if (g->severity == VMCFG_SEV_ERROR)
				hv_log("%s:%u:%u: error[%s]: %s (against the host DT)",
				       g->primary.file ? g->primary.file : "?",
				       (unsigned)g->primary.span.line, (unsigned)g->primary.span.col,
				       g->code, g->message);
		}
		if (!err && diags.errors)
			err = VMCFG_EINVALID;
		vmcfg_diags_free(&diags);
		if (err)
			return err;
	}
	return vmcfg_fdt_resolve_config(host, cfg);
}

void *hv_guest_dt_build(const struct vmcfg_vm_spec *spec, const struct vmcfg_vm_config *cfg,
			const char *cfg_path, const struct vmcfg_system *sys, size_t *size)
{
	struct vmcfg_fdt_expansion *exp = NULL;
	struct vmcfg_fdt_guest_opts opts = { 0, sys, VMCFG_ARCH_UNKNOWN };
	const struct hv_file *rd;
	struct vmcfg_diags diags;
	char *blob = NULL;
	int err;

	*size = 0;
	if (!cfg->dtb.has_load_gpa && !hv_guest_dts_all)
		return NULL; /* the VM would not get it */
	host_open();
	if (!host)
		return NULL;
	/* As `vmcfg dtb` by default: the size of the ramdisk file ("memory": built in). */
	rd = cfg->ramdisk.path && cfg->image_location == VMCFG_IMAGE_MEMORY
		     ? hv_file_find_relative(cfg_path, cfg->ramdisk.path)
		     : NULL;
	opts.ramdisk_size = rd ? rd->size : 0;
	vmcfg_diags_init(&diags, &hv_heap);
	err = vmcfg_fdt_check(host, NULL, &spec, 1, NULL, &diags);
	if (!err)
		err = vmcfg_fdt_expand_spec(host, spec, &diags, &exp);
	if (!err && !diags.errors && cfg->dtb.path)
		blob = fixup(cfg, cfg_path, &opts, size, &err);
	else if (!err && !diags.errors)
		err = vmcfg_fdt_guest_build(host, cfg, exp, &opts, &diags, &blob, size);
	if (err)
		hv_log("vm '%s': guest DT not built: %s%s", cfg->name,
		       cfg->dtb.path ? "dtb_path: " : "", vmcfg_strerror(err));
	else if (diags.errors)
		hv_log("vm '%s': guest DT not built: %zu error(s) against the host DT", cfg->name,
		       diags.errors);
	else
		hv_log("vm '%s': guest DT %s at boot: %zu bytes, CRC-32 %#010x", cfg->name,
		       cfg->dtb.path ? "fixed up from its dtb_path" : "built", *size,
		       (unsigned)crc32((const uint8_t *)blob, *size));
	if (err || diags.errors) {
		free(blob);
		blob = NULL;
		*size = 0;
	}
	vmcfg_fdt_expansion_free(exp);
	vmcfg_diags_free(&diags);
	return blob;
}
