/* SPDX-License-Identifier: MIT */
/*
 * Differential libFuzzer target for the contract of docs/diagnostics.md:
 * whatever `vmcfg check` passes, `vmcfg build` builds, and `vmcfg map`
 * draws no conflict. Structure-aware: a custom mutator rewrites the
 * numbers of real VM and system files (one to three integer literals, to
 * boundary values: 0, a page ± 1, 2^39, 2^40, 2^48, 2^60, 2^63,
 * 2^64 − 4 KiB, the GIC frames, …) or drops or doubles one line — an
 * array entry (a memory region, a device, a VM of `vms` on its own line),
 * a `key = value` line (a pinned CPU list, a platform key, an IVC channel's
 * size) or an [[ivc]] header — rather than flipping bytes, so inputs stay
 * TOML and reach the checker and vm_create.
 *
 * An input is a VM file, or a system file followed by its VM files, the
 * parts separated by "%%" lines (fuzz/config-seeds.sh): the system's VM
 * paths are served from the parts in order. Per input, exactly what the
 * CLI runs: vm_set_load_with (tools/vmcfg/load.c: decode, check —
 * alone, across the files, or as a system with its platform, IVC channels
 * and limits — convert); when check reports no error, every VM is built as
 * `vmcfg build` builds it (vmcfg_vm_create with the hypervisor's device
 * models on the simulated host, tools/vmcfg/sim_host.c, side by side,
 * device-tree paths left out as without --platform) and the map is made as
 * `vmcfg map` makes it (tools/vmcfg/map_model.c). A VM that does not
 * build, or a conflict on the map (an overlap or a region marked as an
 * error), is a disagreement: the input is printed with the reason and the
 * target aborts.
 *
 * Left out: inputs whose allocated RAM exceeds 64 MiB (allocating and
 * mapping hundreds of GiB takes the simulated host about a second: too
 * slow to fuzz; scripts/mutate-agree.py covers them), and platforms with
 * more RAM than the simulated host holds (SIM_HOST_MAX_BYTES: a limit of
 * the tool, where build exits 2 and says so; found by this target, when
 * the banks' sizes wrapped in the sum).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "vmcfg/check.h"
#include "vmcfg/config.h"
#include "vmcfg/host.h"
#include "vmcfg/vm.h"

#include "../tools/vmcfg/load.h"
#include "../tools/vmcfg/map_model.h"
#include "../tools/vmcfg/sim_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#define MAX_ALLOC_RAM (64ull << 20)

/* ---- the mutator ---- */

static const uint64_t boundary[] = {
	0, 1, 0xfff, 0x1000, 0x1001, 0x200, 0x10000, 0x20000, 1ull << 39, 1ull << 40, 1ull << 48,
	1ull << 60, 1ull << 63, UINT64_MAX - 0xfff, UINT64_MAX, 0x8000000, 0x80a0000, 0x9000000,
	0x40000000, 0x80000000, 0x100000, 0x3f8, 0x40, 8, 4, 0x17, 0x37, 0x13, 0x7, 3, 2, 1,
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* Start and end of the n-th integer literal outside comments and strings; false when none. */
static bool nth_number(const char *t, size_t len, size_t n, size_t *start, size_t *end)
{
	size_t seen = 0;
	bool comment = false, string = false;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (c == '\n') {
			comment = string = false;
			continue;
		}
		if (comment)
			continue;
		if (string) {
			string = c != '"';
			continue;
		}
		if (c == '#' || c == '"') {
			comment = c == '#';
			string = c == '"';
			continue;
		}
		bool boundary_before = i == 0 || !(t[i - 1] == '_' || t[i - 1] == '.' ||
						  (t[i - 1] >= '0' && t[i - 1] <= '9') ||
						  (t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
						  (t[i - 1] >= 'A' && t[i - 1] <= 'Z'));
		if (!boundary_before || c < '0' || c > '9')
			continue;
		size_t j = i + 1;
		while (j < len && ((t[j] >= '0' && t[j] <= '9') || t[j] == '_' || t[j] == 'x' ||
				   (t[j] >= 'a' && t[j] <= 'f') || (t[j] >= 'A' && t[j] <= 'F')))
			j++;
		if (seen++ == n) {
			*start = i;
			*end = j;
			return true;
		}
		i = j - 1;
	}
	return false;
}

static size_t count_numbers(const char *t, size_t len)
{
	size_t n = 0, s, e;
	while (nth_number(t, len, n, &s, &e))
		n++;
	return n;
}

/* Replaces [start, end) of data (size bytes) by rep; returns the new size or 0 if it does not fit. */
static size_t splice(uint8_t *data, size_t size, size_t max, size_t start, size_t end, const char *rep,
		     size_t rlen)
{
	if (size - (end - start) + rlen > max)
		return 0;
	memmove(data + start + rlen, data + end, size - end);
	memcpy(data + start, rep, rlen);
	return size - (end - start) + rlen;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t s = seed | 1;
	size_t n = count_numbers((const char *)data, size);
	int edits = 1 + (int)(rnd(&s) % 3);
	for (int k = 0; k < edits; k++) {
		size_t start, end, out;
		if (rnd(&s) % 8 == 0) { /* an entry line dropped or doubled */
			size_t lines = 0;
			for (size_t i = 0; i < size; i++)
				lines += data[i] == '\n';
			if (!lines)
				continue;
			size_t want = rnd(&s) % lines, at = 0, line = 0;
			while (line < want && at < size)
				line += data[at++] == '\n';
			size_t stop = at;
			while (stop < size && data[stop] != '\n')
				stop++;
			if (stop < size)
				stop++;
			/*
			 * Entries of arrays (indented, or a system's VM paths one per
			 * line) are dropped or doubled; a `key = value` line or an
			 * [[ivc]] header is dropped or doubled too (a channel more, a
			 * pinned CPU list or a platform key less); the "%%" part
			 * separators are left alone.
			 */
			bool entry = stop > at && (data[at] == ' ' || data[at] == '"');
			bool keyline = stop > at && ((data[at] >= 'a' && data[at] <= 'z') ||
						     (stop - at > 7 && !memcmp(data + at, "[[ivc]]", 7)));
			if (!entry && !keyline)
				continue;
			char line_copy[256];
			size_t ll = stop - at < sizeof line_copy ? stop - at : 0;
			if (!ll)
				continue;
			memcpy(line_copy, data + at, ll);
			out = rnd(&s) & 1 ? splice(data, size, max_size, at, stop, "", 0)
					  : splice(data, size, max_size, at, at, line_copy, ll);
			size = out ? out : size;
			n = count_numbers((const char *)data, size);
			continue;
		}
		if (!n || !nth_number((const char *)data, size, rnd(&s) % n, &start, &end))
			continue;
		uint64_t old = strtoull((const char *)data + start, NULL, 0), v;
		switch (rnd(&s) % 3) {
		case 0:
			v = boundary[rnd(&s) % (sizeof boundary / sizeof boundary[0])];
			break;
		case 1:
			v = old + (rnd(&s) & 1 ? 0x1000 : 1) * (rnd(&s) & 1 ? 1 : -1ull);
			break;
		default:
			v = old ^ (1ull << (rnd(&s) % 64));
			break;
		}
		char rep[32];
		int rl = snprintf(rep, sizeof rep, "0x%llx", (unsigned long long)v);
		out = splice(data, size, max_size, start, end, rep, (size_t)rl);
		size = out ? out : size;
	}
	return size;
}

/* ---- the target ---- */

#define MAX_PARTS 16

/* The parts of an input: [0] the system file when there is one, then the VM files. */
struct bundle {
	const char *text[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t count, next_vm;
	bool system;
};

static bool contains(const char *t, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (!memcmp(t + i, word, w))
			return true;
	return false;
}

static void split(const char *t, size_t n, struct bundle *b)
{
	memset(b, 0, sizeof *b);
	size_t start = 0;
	for (size_t i = 0; i <= n && b->count < MAX_PARTS; i++) {
		bool sep = i + 2 <= n && (i == 0 || t[i - 1] == '\n') && t[i] == '%' && t[i + 1] == '%';
		if (i < n && !sep)
			continue;
		b->text[b->count] = t + start;
		b->len[b->count++] = i - start;
		if (!sep)
			break;
		while (i < n && t[i] != '\n')
			i++;
		start = i + 1;
	}
	b->system = b->count > 1 || (b->count == 1 && contains(t, n, "vms") &&
				     !contains(t, n, "[base]"));
	b->next_vm = b->system ? 1 : 0;
}

/* vm_set_load_with's reader: the system part, then the VM parts in the order asked for. */
static int read_part(void *ud, const char *path, char **text, size_t *len)
{
	struct bundle *b = ud;
	size_t k = !strcmp(path, "system.toml") && b->system ? 0 : b->next_vm++;
	if (k >= b->count) {
		errno = ENOENT;
		return VMCFG_EIO;
	}
	*text = malloc(b->len[k] + 1);
	if (!*text)
		return VMCFG_ENOMEM;
	memcpy(*text, b->text[k], b->len[k]);
	(*text)[b->len[k]] = '\0';
	*len = b->len[k];
	return 0;
}

static uint64_t alloc_ram(const struct vm_set *set)
{
	uint64_t total = 0;
	for (size_t i = 0; i < set->count; i++) {
		const struct vmcfg_vm_config *c = set->files[i].config;
		for (size_t k = 0; c && k < c->region_count; k++)
			if (c->regions[k].map_type == VMCFG_MAP_ALLOC)
				total += c->regions[k].size > MAX_ALLOC_RAM ? MAX_ALLOC_RAM + 1
									 : c->regions[k].size;
	}
	return total;
}

static _Noreturn void disagree(const char *what, const char *why, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_agree: check passed, %s: %s\n%.*s\n", what, why, (int)size,
		(const char *)data);
	abort();
}

/* What `vmcfg build` does with the set: every VM side by side on one simulated host. */
static void build_all(struct vm_set *set, const uint8_t *data, size_t size)
{
	const struct vmcfg_platform *platform = vm_set_platform(set);
	enum vmcfg_arch arch = platform && platform->arch ? platform->arch : VMCFG_ARCH_AARCH64;
	const struct vmcfg_vm_config *configs[MAX_PARTS];
	struct vmcfg_vm *vms[MAX_PARTS] = { NULL };
	struct sim_host host;
	char err[256] = "";
	for (size_t i = 0; i < set->count; i++)
		configs[i] = set->files[i].config;
	if (sim_host_init(&host, configs, set->count, platform, err, sizeof err)) {
		sim_host_free(&host);
		disagree("the simulated host refused", err, data, size);
	}
	for (size_t i = 0; i < set->count; i++) {
		char why[256] = "";
		sim_host_drop_dt_paths(&host, set->files[i].config);
		struct vmcfg_vm_create_opts co = { .arch = arch, .defer_zeroing = true,
						   .device_factory = vmcfg_vm_hv_model_factory,
						   .error = why, .error_size = sizeof why };
		if (vmcfg_vm_create(set->files[i].config, set->system, &host.hal, &co, &vms[i]))
			disagree("build refused", why, data, size);
	}
	for (size_t i = 0; i < set->count; i++)
		vmcfg_vm_destroy(vms[i]);
	sim_host_free(&host);
}

/* `vmcfg map` draws a conflict only where check reports an error. */
static void space_clean(const struct map_space *s, const char *name, const uint8_t *data,
			size_t size)
{
	char why[160];
	if (s->overlap_count || s->overlaps_left_out) {
		snprintf(why, sizeof why, "%s: overlap at 0x%llx", name,
			 (unsigned long long)s->overlaps[0].base);
		disagree("map drew a conflict", why, data, size);
	}
	for (size_t i = 0; i < s->count; i++)
		if (s->rows[i].error) {
			snprintf(why, sizeof why, "%s: region at 0x%llx marked as an error", name,
				 (unsigned long long)s->rows[i].base);
			disagree("map drew a conflict", why, data, size);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle b;
	struct vm_set set;
	split((const char *)data, size, &b);
	char *paths[MAX_PARTS];
	char names[MAX_PARTS][16];
	for (size_t i = 0; i < b.count; i++) {
		snprintf(names[i], sizeof names[i], "vm%zu.toml", i);
		paths[i] = names[i];
	}
	struct vm_set_options opts = { .system_path = b.system ? "system.toml" : NULL };
	if (vm_set_load_with(&set, b.system ? NULL : paths, b.system ? 0 : b.count, &opts, read_part,
			     &b) ||
	    set.io_error || set.diags.errors || !set.count || alloc_ram(&set) > MAX_ALLOC_RAM ||
	    (vm_set_platform(&set) && sim_host_platform_ram(vm_set_platform(&set)) > SIM_HOST_MAX_BYTES)) {
		vm_set_free(&set);
		return 0;
	}
	/* The map first: the build leaves the device-tree paths out of the configs. */
	struct map_model m;
	if (map_model_build(&m, &set) == 0) {
		space_clean(&m.host, "host", data, size);
		for (size_t i = 0; i < m.vm_count; i++)
			space_clean(&m.vms[i].space, m.vms[i].name, data, size);
	}
	map_model_free(&m);
	build_all(&set, data, size);
	vm_set_free(&set);
	return 0;
}
