/* SPDX-License-Identifier: MIT */
/*
 * vmcfg map: the memory map of a system — the host's physical memory and
 * each VM's guest physical memory — as text, and with --svg as a picture
 * (map_svg.c). Both come from one model (map_model.h), which says what is
 * built and what is drawn from the config alone. The map is drawn when the
 * checker finds errors too: that is when it is needed.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "map_model.h"
#include "map_svg.h"

static void map_usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg map [OPTIONS] FILE...\n"
		"       vmcfg map [OPTIONS] --system SYSTEM.toml\n\n"
		"Checks the VM files, builds every VM without errors on a simulated host\n"
		"(as vmcfg build does, with the system's IVC channels mapped) and prints the\n"
		"memory map: the host's physical memory, then each VM's guest physical\n"
		"memory, regions and gaps sorted by address with owner and kind, guest RAM\n"
		"and windows with their host backing, and the checker's findings on the\n"
		"regions they are about (!! error, ! warning). VMs with errors are drawn\n"
		"from their config alone: guest ranges as written, host ranges where the\n"
		"file fixes them (identical/reserved RAM, passthrough). See docs/map.md.\n\n"
		"options:\n"
		"  --system FILE   map the VMs of a system file (docs/system-file.md)\n"
		"  --platform DT   the host's device tree (.dtb or .dts) as the platform\n"
		"  --svg OUT.svg   also draw the map as a self-contained SVG picture\n"
		"  -h, --help      this text\n\n"
		"exit status: 0 no errors, 1 the checker found errors (the map is still\n"
		"printed), 2 usage error, unreadable file or out of memory\n");
}

/* ---- text ---- */

/*
 * The arrows sorted by VM and start, once from the guest side and once from
 * the host side, so each row finds its own by binary search: a walk over
 * every arrow per row took minutes for 10^5 regions.
 */
struct link_key {
	int vm;
	uint64_t at;
	size_t index;
};

struct link_index {
	struct link_key *by_gpa, *by_hpa;
	size_t count;
};

static int compare_link_keys(const void *a, const void *b)
{
	const struct link_key *x = a, *y = b;
	if (x->vm != y->vm)
		return x->vm < y->vm ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool index_links(struct link_index *ix, const struct map_model *m)
{
	ix->count = m->link_count;
	ix->by_gpa = malloc((ix->count + 1) * sizeof *ix->by_gpa);
	ix->by_hpa = malloc((ix->count + 1) * sizeof *ix->by_hpa);
	if (!ix->by_gpa || !ix->by_hpa)
		return false;
	for (size_t i = 0; i < ix->count; i++) {
		ix->by_gpa[i] = (struct link_key){ m->links[i].vm, m->links[i].gpa, i };
		ix->by_hpa[i] = (struct link_key){ m->links[i].vm, m->links[i].hpa, i };
	}
	if (ix->count > 1) {
		qsort(ix->by_gpa, ix->count, sizeof *ix->by_gpa, compare_link_keys);
		qsort(ix->by_hpa, ix->count, sizeof *ix->by_hpa, compare_link_keys);
	}
	return true;
}

/*
 * Counts the arrows of vm starting in [base, end) on one side and keeps the
 * two first in arrow order in first[] (SIZE_MAX: none).
 */
static size_t links_in(const struct link_key *keys, size_t count, int vm, uint64_t base,
		       uint64_t end, size_t first[2])
{
	size_t lo = 0, hi = count, n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid].vm < vm || (keys[mid].vm == vm && keys[mid].at < base))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < count && keys[lo].vm == vm && keys[lo].at < end; lo++, n++) {
		size_t i = keys[lo].index;
		if (i < first[0]) {
			first[1] = first[0];
			first[0] = i;
		} else if (i < first[1]) {
			first[1] = i;
		}
	}
	return n;
}

/* The arrows of a row: where its guest range lives on the host, or who maps its host range. */
static void backing_text(const struct map_model *m, const struct link_index *ix,
			 const struct map_region *r, int vm, char *out, size_t size)
{
	size_t n = 0, first[2] = { SIZE_MAX, SIZE_MAX }, found;
	out[0] = '\0';
	if (vm >= 0 && !map_kind_has_backing(r->kind))
		return;
	if (vm >= 0) {
		found = links_in(ix->by_gpa, ix->count, vm, r->base, r->end, first);
	} else { /* a host row lists its owners' arrows */
		found = links_in(ix->by_hpa, ix->count, r->owner, r->base, r->end, first);
		if (r->sharer != r->owner)
			found += links_in(ix->by_hpa, ix->count, r->sharer, r->base, r->end, first);
	}
	/* RAM scattered over many host runs: two arrows and the count say enough */
	for (size_t k = 0; k < 2 && k < found; k++) {
		const struct map_link *l = &m->links[first[k]];
		char a[VMCFG_FMT_BUF];
		n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s %s %s", k ? ", " : "",
				      vm >= 0 ? "->" : "<-", vm >= 0 ? "host" : m->vms[l->vm].name,
				      vmcfg_fmt_hex(a, vm >= 0 ? l->hpa : l->gpa));
	}
	if (found > 2 && n < size)
		snprintf(out + n, size - n, " (+%zu more)", found - 2);
}

static void print_row(const struct map_model *m, const struct link_index *ix,
		      const struct map_region *r, int vm)
{
	char b[VMCFG_FMT_BUF], e[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF], owner[160], detail[320];
	const char *kind = map_kind_name(r->kind);
	snprintf(owner, sizeof owner, "%s%s%s", map_owner_name(m, r), r->sharer >= 0 ? "+" : "",
		 r->sharer >= 0 ? m->vms[r->sharer].name : "");
	backing_text(m, ix, r, vm, detail, sizeof detail);
	printf("  %s%-13s %-13s %9s  %-12s %-17s %s%s%s", r->child ? "  " : "", vmcfg_fmt_hex(b, r->base),
	       vmcfg_fmt_hex(e, r->end), vmcfg_fmt_size(s, r->end - r->base),
	       map_kind_is_gap(r->kind) ? "--" : owner, kind, r->label, *r->label && *detail ? " " : "",
	       detail);
	for (unsigned i = 0; i < r->code_count; i++)
		printf("%s%s", i ? " " : (r->error ? "  !! " : "  ! "), r->codes[i]);
	printf("\n");
}

/* Rows listed per address space: more than any real file has, bounded for a hostile one. */
#define MAP_MAX_ROWS 1000

static void print_space(const struct map_model *m, const struct link_index *ix,
			const struct map_space *s, int vm)
{
	printf("  %-13s %-13s %9s  %-12s %-17s %s\n", "start", "end", "size", "owner", "kind",
	       "name / backing");
	if (!s->count)
		printf("  (nothing mapped)\n");
	size_t k = 0; /* overlaps are ordered by their later row */
	for (size_t i = 0; i < s->count; i++) {
		if (i == MAP_MAX_ROWS) {
			size_t flagged = 0;
			for (size_t j = i; j < s->count; j++)
				flagged += s->rows[j].code_count != 0;
			printf("  ... %zu more rows (%zu of them with findings) and %zu overlaps not listed: "
			       "at most %d rows per address space\n",
			       s->count - i, flagged, s->overlap_count - k, MAP_MAX_ROWS);
			break;
		}
		print_row(m, ix, &s->rows[i], vm);
		/* An overlap is told under the later of its two rows, where a reader meets it. */
		for (; k < s->overlap_count && s->overlaps[k].b <= i; k++) {
			const struct map_overlap *o = &s->overlaps[k];
			if (o->b != i)
				continue;
			const struct map_region *a = &s->rows[o->a];
			char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF], z[VMCFG_FMT_BUF];
			printf("  ^^ overlaps %s %s by %s at [%s, %s)", map_owner_name(m, a),
			       map_kind_name(a->kind), vmcfg_fmt_size(z, o->end - o->base),
			       vmcfg_fmt_hex(x, o->base), vmcfg_fmt_hex(y, o->end));
			for (unsigned c = 0; c < o->code_count; c++)
				printf("%s%s", c ? " " : "  !! ", o->codes[c]);
			printf("\n");
		}
	}
}

static int print_map(const struct map_model *m)
{
	struct link_index ix = { NULL, NULL, 0 };
	if (!index_links(&ix, m)) {
		free(ix.by_gpa);
		free(ix.by_hpa);
		return VMCFG_ENOMEM;
	}
	printf("host physical memory (%s%s)\n", m->has_platform ? "the platform's, " : "simulated, ",
	       m->arch);
	print_space(m, &ix, &m->host, -1);
	for (size_t i = 0; i < m->vm_count; i++) {
		const struct map_vm *v = &m->vms[i];
		printf("\nvm %llu \"%s\" guest physical memory (%s, %s)\n", (unsigned long long)v->id,
		       v->name, v->file, v->built ? "built" : "not built");
		if (v->note)
			printf("  note: %s\n", v->note);
		print_space(m, &ix, &v->space, (int)i);
	}
	for (size_t i = 0; i < m->note_count; i++)
		printf("%snote: %s\n", i ? "" : "\n", m->notes[i]);
	free(ix.by_gpa);
	free(ix.by_hpa);
	return 0;
}

/* ---- the command ---- */

int cmd_map(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "system", required_argument, NULL, 'S' },
		{ "platform", required_argument, NULL, 'P' },
		{ "svg", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vm_set_options load = { 0 };
	const char *svg = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			load.system_path = optarg;
			break;
		case 'P':
			load.platform_path = optarg;
			break;
		case 's':
			svg = optarg;
			break;
		case 'h':
			map_usage(stdout);
			return 0;
		default:
			return vmcfg_usage_bad_option("map", argv, c);
		}
	}
	if (!vm_set_files_ok(&load, (size_t)(argc - optind), "map"))
		return vmcfg_usage_error("map", "give VM FILEs, or --system SYSTEM.toml");

	struct vm_set set;
	struct map_model m;
	int rc = vm_set_load(&set, argv + optind, (size_t)(argc - optind), &load);
	if (!rc) {
		if (set.diags.count)
			vm_set_report_stderr(&set);
		rc = map_model_build(&m, &set);
		/* --svg -: the picture is the output; the text map would spoil it. */
		if (!rc && (!svg || strcmp(svg, "-")))
			rc = print_map(&m);
		if (!rc) {
			if (svg)
				rc = map_svg_write_file(&m, load.system_path ? load.system_path
									     : argv[optind],
							svg);
		}
		map_model_free(&m);
	}
	int status = rc ? 2 : set.io_error ? 2 : set.diags.errors ? 1 : 0;
	if (rc && rc != VMCFG_EIO)
		fprintf(stderr, "vmcfg map: %s\n", vmcfg_strerror(rc));
	vm_set_free(&set);
	return status;
}
