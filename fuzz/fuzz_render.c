/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CLI's rendering of untrusted files: the
 * library's text renderer (vmcfg_diag_render), the CLI's report writers
 * (text, JSON, SARIF: tools/vmcfg/report.c) and the memory map
 * (tools/vmcfg/map_model.c, drawn as SVG by map_svg.c) — what `vmcfg check`
 * and `vmcfg map` run on a VM file.
 *
 * Input: one VM file. It is loaded as the CLI loads it (vm_set_load, from a
 * memfd so the CLI's file reading is covered too), reported in every format
 * and mapped (the map only when the VM's RAM is at most 64 MiB: the
 * simulated host's RAM is real memory).
 *
 * Invariants (a violation ends in __builtin_trap()):
 *   - loading and mapping return 0 (the host allocator never fails);
 *   - the text report is bounded: with a 40-byte line window, 64-byte
 *     messages and 3 findings per file, each finding shown costs at most a
 *     fixed number of bytes, whatever the lines and messages of the input;
 *   - the renderer writes in pieces, never one byte per call for long output;
 *   - overlaps of every map space are ordered by their later row and at most
 *     MAP_MAX_OVERLAPS.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "load.h"
#include "map_model.h"
#include "map_svg.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "fuzz_render: invariant violated at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);                                \
			__builtin_trap();                                                 \
		}                                                                         \
	} while (0)

struct tally {
	size_t bytes, calls;
};

static int count_write(void *ctx, const char *buf, size_t len)
{
	struct tally *t = ctx;
	(void)buf;
	t->bytes += len;
	t->calls++;
	return 0;
}

static FILE *sink(void)
{
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

static void check_render(const struct vm_set *set)
{
	const struct vmcfg_diags *d = &set->diags;
	struct vmcfg_render_opts opts = { false, 40, 64, 3, 5 };
	struct tally t = { 0, 0 };
	CHECK(vmcfg_diag_render(d, set->sources, set->source_count, &opts, count_write, &t) == 0);
	/*
	 * A shown finding: location (file name ≤ 64 + "…", numbers), severity,
	 * code, message ≤ 64 + "…", two excerpts of ≤ 40 bytes + marks and as many
	 * carets (tabs repeat), a related message and a hint ≤ 64 + "…" each.
	 */
	size_t per_finding = 2 * (4096 + 2 * (3 * 40 + 64)) + 4 * (64 + 3) + 256;
	size_t shown = d->count < 3 ? d->count : 3;
	/* findings of several files: every file can show 3; sources are one file here */
	CHECK(t.bytes <= (d->count > 3 ? 3 + 2 : shown) * per_finding + 512 ||
	      set->source_count != 1);
	CHECK(t.bytes < 2048 || t.calls < t.bytes / 16);
}

/*
 * The map builds the VM on a simulated host whose RAM is real memory: past
 * 64 MiB (a Linux guest's 128 MiB took seconds per run under ASan) the
 * input only exercises the reports, so the fuzzer keeps its pace.
 */
static bool too_much_ram(const struct vm_set *set)
{
	uint64_t total = 0;
	for (size_t i = 0; i < set->count; i++)
		for (size_t k = 0; set->files[i].config && k < set->files[i].config->region_count; k++)
			if (!vmcfg_add_u64(total, set->files[i].config->regions[k].size, &total))
				return true;
	return total > (64u << 20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("vm.toml", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *paths[1] = { path };
	struct vm_set_options opts = { 0 };
	struct vm_set set;
	CHECK(vm_set_load(&set, paths, 1, &opts) == 0);
	vmcfg_diags_sort(&set.diags);
	check_render(&set);
	for (int f = REPORT_TEXT; f <= REPORT_SARIF; f++) {
		struct report r = vm_set_report(&set, (enum report_format)f, f == REPORT_TEXT);
		report_write(&r, &set.diags, sink());
	}
	if (too_much_ram(&set)) {
		vm_set_free(&set);
		close(fd);
		return 0;
	}
	struct map_model m;
	CHECK(map_model_build(&m, &set) == 0);
	const struct map_space *spaces[2] = { &m.host, m.vm_count ? &m.vms[0].space : &m.host };
	for (int s = 0; s < 2; s++) {
		CHECK(spaces[s]->overlap_count <= MAP_MAX_OVERLAPS);
		for (size_t k = 1; k < spaces[s]->overlap_count; k++)
			CHECK(spaces[s]->overlaps[k - 1].b <= spaces[s]->overlaps[k].b);
	}
	CHECK(map_svg_write(&m, "fuzz", sink()) == 0);
	map_model_free(&m);
	vm_set_free(&set);
	close(fd);
	return 0;
}
