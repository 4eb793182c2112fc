/* SPDX-License-Identifier: MIT */
/* Diagnostics: the rule catalogue, the growing list, and "did you mean" hints. */
#include "vmcfg/diag.h"
#include "libc.h"

static const struct vmcfg_rule_info catalogue[VMCFG_RULE_COUNT] = {
	[VMCFG_R_IO] = { "E0001", VMCFG_SEV_ERROR, "file cannot be read" },
	[VMCFG_R_TOML_SYNTAX] = { "E0002", VMCFG_SEV_ERROR, "TOML syntax error" },
	[VMCFG_R_MISSING_KEY] = { "E0101", VMCFG_SEV_ERROR, "missing required key" },
	[VMCFG_R_WRONG_TYPE] = { "E0102", VMCFG_SEV_ERROR, "wrong type" },
	[VMCFG_R_OUT_OF_RANGE] = { "E0103", VMCFG_SEV_ERROR, "value out of range" },
	[VMCFG_R_BAD_ENUM] = { "E0104", VMCFG_SEV_ERROR, "unknown enumeration value" },
	[VMCFG_R_ARITY] = { "E0105", VMCFG_SEV_ERROR, "wrong number of fields" },
	[VMCFG_R_UNKNOWN_KEY] = { "W0106", VMCFG_SEV_WARNING, "unknown key" },
	[VMCFG_R_CPU_LIST_LENGTH] = { "E0201", VMCFG_SEV_ERROR, "cpu list length differs from cpu_num" },
	[VMCFG_R_CPU_NUM_ZERO] = { "E0202", VMCFG_SEV_ERROR, "cpu_num is 0" },
	[VMCFG_R_DEVICE_REGION] = { "W0203", VMCFG_SEV_WARNING, "DEVICE memory region skipped" },
	[VMCFG_R_PATH_WITHOUT_ADDR] = { "E0204", VMCFG_SEV_ERROR, "image path and load address must come together" },
	[VMCFG_R_NOT_ALIGNED] = { "E0205", VMCFG_SEV_ERROR, "address or size not page-aligned" },
	[VMCFG_R_SIZE_ZERO] = { "E0206", VMCFG_SEV_ERROR, "size 0" },
	[VMCFG_R_RANGE_WRAPS] = { "E0207", VMCFG_SEV_ERROR, "range wraps past 2^64" },
	[VMCFG_R_BEYOND_IPA] = { "E0208", VMCFG_SEV_ERROR, "range beyond the IPA width" },
	[VMCFG_R_WRITE_WITHOUT_READ] = { "W0209", VMCFG_SEV_WARNING, "writable but not readable" },
	[VMCFG_R_EXEC_DEVICE] = { "E0210", VMCFG_SEV_ERROR, "executable device memory" },
	[VMCFG_R_GUEST_OVERLAP] = { "E0211", VMCFG_SEV_ERROR, "guest-physical ranges overlap" },
	[VMCFG_R_ENTRY_NOT_EXEC] = { "E0212", VMCFG_SEV_ERROR, "entry point not in executable RAM" },
	[VMCFG_R_IMAGE_OUTSIDE_RAM] = { "E0213", VMCFG_SEV_ERROR, "image load address outside RAM" },
	[VMCFG_R_IMAGE_TOO_BIG] = { "E0214", VMCFG_SEV_ERROR, "image does not fit in its region" },
	[VMCFG_R_IMAGES_OVERLAP] = { "E0215", VMCFG_SEV_ERROR, "images overlap" },
	[VMCFG_R_CFG_ARITY] = { "E0216", VMCFG_SEV_ERROR, "cfg_list wrong for the device type" },
	[VMCFG_R_EMU_GIC_PT_MODE] = { "E0217", VMCFG_SEV_ERROR, "emulated interrupt controller in passthrough mode" },
	[VMCFG_R_IRQ_UNDER_NO_IRQ] = { "W0218", VMCFG_SEV_WARNING, "device IRQ under interrupt_mode no_irq" },
	[VMCFG_R_SHARED_EMU_IRQ] = { "E0219", VMCFG_SEV_ERROR, "emulated devices share an IRQ" },
	[VMCFG_R_CPU_MASK_EMPTY] = { "E0220", VMCFG_SEV_ERROR, "empty CPU mask" },
	[VMCFG_R_CPU_MASK_PLATFORM] = { "E0221", VMCFG_SEV_ERROR, "CPU mask beyond the platform's CPUs" },
	[VMCFG_R_DUP_PHYS_ID] = { "E0222", VMCFG_SEV_ERROR, "duplicate physical CPU id" },
	[VMCFG_R_VCPUS_SHARE_PCPU] = { "W0223", VMCFG_SEV_WARNING, "vCPUs pinned to one physical CPU" },
	[VMCFG_R_PT_ROUNDING] = { "W0224", VMCFG_SEV_WARNING, "passthrough window not page-aligned" },
	[VMCFG_R_PHYS_ID_PLATFORM] = { "E0225", VMCFG_SEV_ERROR, "physical CPU id not on the platform" },
	[VMCFG_R_HOST_SELF_OVERLAP] = { "E0226", VMCFG_SEV_ERROR, "host ranges of one VM overlap" },
	[VMCFG_R_DUP_VM_ID] = { "E0301", VMCFG_SEV_ERROR, "duplicate VM id" },
	[VMCFG_R_DUP_VM_NAME] = { "E0302", VMCFG_SEV_ERROR, "duplicate VM name" },
	[VMCFG_R_HOST_OVERLAP] = { "E0303", VMCFG_SEV_ERROR, "host memory of two VMs overlaps" },
	[VMCFG_R_PT_SHARED] = { "E0304", VMCFG_SEV_ERROR, "passthrough window given to two VMs" },
	[VMCFG_R_OVER_HV_MEMORY] = { "E0305", VMCFG_SEV_ERROR, "VM memory over the hypervisor's memory" },
	[VMCFG_R_OVER_RESERVED] = { "E0306", VMCFG_SEV_ERROR, "VM memory over a reserved frame" },
	[VMCFG_R_OUTSIDE_HOST_RAM] = { "E0307", VMCFG_SEV_ERROR, "identity/reserved RAM outside host RAM" },
	[VMCFG_R_PCPU_TWO_VMS] = { "E0308", VMCFG_SEV_ERROR, "physical CPU pinned by two VMs" },
	[VMCFG_R_SPI_TWO_VMS] = { "E0309", VMCFG_SEV_ERROR, "host SPI routed to two VMs" },
	[VMCFG_R_IVC_UNKNOWN_VM] = { "E0310", VMCFG_SEV_ERROR, "IVC channel names an unknown VM" },
	[VMCFG_R_IVC_WINDOW] = { "E0311", VMCFG_SEV_ERROR, "IVC channels do not fit the IVC window" },
	[VMCFG_R_IVC_DUP_KEY] = { "E0312", VMCFG_SEV_ERROR, "duplicate IVC key" },
	[VMCFG_R_PLATFORM_SKIPPED] = { "N0313", VMCFG_SEV_NOTE, "platform rules skipped" },
	[VMCFG_R_FDT_INVALID] = { "E0401", VMCFG_SEV_ERROR, "host device tree cannot be read" },
	[VMCFG_R_FDT_NO_NODE] = { "E0402", VMCFG_SEV_ERROR, "passthrough path not in the host device tree" },
	[VMCFG_R_FDT_DISABLED] = { "W0403", VMCFG_SEV_WARNING, "passthrough path names a disabled node" },
	[VMCFG_R_FDT_REG] = { "W0404", VMCFG_SEV_WARNING, "device window cannot be translated" },
	[VMCFG_R_FDT_IRQ] = { "W0405", VMCFG_SEV_WARNING, "device interrupts cannot be decoded" },
	[VMCFG_R_FDT_DANGLING] = { "W0406", VMCFG_SEV_WARNING, "guest DT property dropped (phandle target not in the guest)" },
	[VMCFG_R_FDT_NO_EXCLUDED] = { "W0407", VMCFG_SEV_WARNING, "excluded path not in the host device tree" },
	[VMCFG_R_FDT_CPUS] = { "W0408", VMCFG_SEV_WARNING, "host CPUs beyond the supported number ignored" },
	[VMCFG_R_IVC_CMDLINE] = { "W0314", VMCFG_SEV_WARNING, "hand-written IVC address disagrees with the system" },
	[VMCFG_R_PT_PAGE_OFFSET] = { "E0227", VMCFG_SEV_ERROR, "passthrough GPA and HPA differ within a page" },
	[VMCFG_R_BEYOND_PA] = { "E0228", VMCFG_SEV_ERROR, "host range beyond the physical address width" },
	[VMCFG_R_VGIC_LIMIT] = { "E0229", VMCFG_SEV_ERROR, "emulated interrupt controller the hypervisor cannot build" },
	[VMCFG_R_HOST_RAM_EXCEEDED] = { "E0315", VMCFG_SEV_ERROR, "VMs need more RAM than the host has" },
	[VMCFG_R_HV_LIMIT] = { "E0316", VMCFG_SEV_ERROR, "more VMs or vCPUs than the hypervisor runs" },
	[VMCFG_R_IVC_QUOTA] = { "E0317", VMCFG_SEV_ERROR, "static IVC channels beyond the hypervisor's quotas" },
	[VMCFG_R_PHYS_ID_MPIDR] = { "E0230", VMCFG_SEV_ERROR, "physical CPU id outside the MPIDR affinity fields" },
	[VMCFG_R_BOOT_PROTOCOL] = { "E0231", VMCFG_SEV_ERROR, "boot protocol and firmware disagree" },
	[VMCFG_R_EMU_NOT_BUILT] = { "W0233", VMCFG_SEV_WARNING, "emulated device the reference hypervisor leaves inert" },
	[VMCFG_R_NO_ACCESS] = { "E0234", VMCFG_SEV_ERROR, "memory region grants no access" },
	[VMCFG_R_PT_PORTS] = { "E0235", VMCFG_SEV_ERROR, "passthrough ports the build cannot give" },
	[VMCFG_R_WRITE_ONLY_REFUSED] = { "E0236", VMCFG_SEV_ERROR,
					 "writable but not readable: the arch's stage-2 tables refuse it" },
	[VMCFG_R_IVC_WINDOWS] = { "E0237", VMCFG_SEV_ERROR, "more than one IVC window" },
	[VMCFG_R_MACHINE_SCHEMA] = { "E0238", VMCFG_SEV_ERROR,
				     "AxVisor's machine schema, which vmcfg does not read" },
	[VMCFG_R_DEVICE_REF] = { "E0239", VMCFG_SEV_ERROR, "device selection AxVisor refuses" },
	[VMCFG_R_DEDICATED_CPUS] = { "E0240", VMCFG_SEV_ERROR, "dedicated CPUs without CPU masks" },
	[VMCFG_R_PLATFORM_MACHINE] = { "W0409", VMCFG_SEV_WARNING,
				       "declared platform disagrees with the machine's device tree" },
};

const struct vmcfg_rule_info *vmcfg_rule_info(enum vmcfg_rule rule)
{
	if ((unsigned)rule >= VMCFG_RULE_COUNT || !catalogue[rule].code)
		return NULL;
	return &catalogue[rule];
}

void vmcfg_diags_init(struct vmcfg_diags *d, const struct vmcfg_allocator *alloc)
{
	memset(d, 0, sizeof *d);
	d->alloc = *alloc;
	vmcfg_arena_init(&d->arena, alloc, 16 * 1024);
}

void vmcfg_diags_free(struct vmcfg_diags *d)
{
	if (d->items)
		d->alloc.fn(d->alloc.ud, d->items, d->cap * sizeof *d->items, 0);
	vmcfg_arena_release(&d->arena);
	d->items = NULL;
	d->count = d->cap = 0;
}

static void count(struct vmcfg_diags *d, enum vmcfg_severity sev, int delta)
{
	size_t *c = sev == VMCFG_SEV_ERROR ? &d->errors
		  : sev == VMCFG_SEV_WARNING ? &d->warnings
					     : &d->notes;
	*c += (size_t)delta;
}

static char *vformat(struct vmcfg_diags *d, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t n = vmcfg_vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = vmcfg_arena_alloc(&d->arena, n + 1, 1);
	if (s)
		vmcfg_vsnprintf(s, n + 1, fmt, ap);
	return s;
}

/* File names repeat across a file's diagnostics: keep one copy per name in a row. */
static const char *intern_file(struct vmcfg_diags *d, const char *file)
{
	if (!file)
		return NULL;
	for (size_t i = d->count; i-- > 0;) {
		const char *f = d->items[i].primary.file;
		if (f && strlen(f) == strlen(file) && !memcmp(f, file, strlen(f)))
			return f;
		if (d->count - i > 8)
			break;
	}
	return vmcfg_arena_strndup(&d->arena, file, strlen(file));
}

int vmcfg_diag_add(struct vmcfg_diags *d, enum vmcfg_rule rule, struct vmcfg_loc primary,
		   struct vmcfg_diag **out, const char *fmt, ...)
{
	const struct vmcfg_rule_info *info = vmcfg_rule_info(rule);
	if (!info)
		return VMCFG_EINVAL;
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		void *p = d->alloc.fn(d->alloc.ud, d->items, d->cap * sizeof *d->items,
				      cap * sizeof *d->items);
		if (!p)
			goto oom;
		d->items = p;
		d->cap = cap;
	}
	struct vmcfg_diag *g = &d->items[d->count];
	memset(g, 0, sizeof *g);
	g->rule = rule;
	g->severity = info->severity;
	g->code = info->code;
	g->primary = primary;
	g->primary.file = intern_file(d, primary.file);
	va_list ap;
	va_start(ap, fmt);
	g->message = vformat(d, fmt, ap);
	va_end(ap);
	if (!g->message || (primary.file && !g->primary.file))
		goto oom;
	d->count++;
	count(d, g->severity, 1);
	if (out)
		*out = g;
	return 0;
oom:
	d->oom = true;
	if (out)
		*out = NULL;
	return VMCFG_ENOMEM;
}

int vmcfg_diag_relate(struct vmcfg_diags *d, struct vmcfg_diag *diag, struct vmcfg_loc related,
		      const char *fmt, ...)
{
	if (!diag)
		return VMCFG_EINVAL;
	va_list ap;
	va_start(ap, fmt);
	const char *msg = vformat(d, fmt, ap);
	va_end(ap);
	const char *file = intern_file(d, related.file);
	if (!msg || (related.file && !file)) {
		d->oom = true;
		return VMCFG_ENOMEM;
	}
	diag->related = related;
	diag->related.file = file;
	diag->related_message = msg;
	return 0;
}

int vmcfg_diag_hint(struct vmcfg_diags *d, struct vmcfg_diag *diag, const char *fmt, ...)
{
	if (!diag)
		return VMCFG_EINVAL;
	va_list ap;
	va_start(ap, fmt);
	const char *msg = vformat(d, fmt, ap);
	va_end(ap);
	if (!msg) {
		d->oom = true;
		return VMCFG_ENOMEM;
	}
	diag->hint = msg;
	return 0;
}

int vmcfg_diag_fix(struct vmcfg_diags *d, struct vmcfg_diag *diag, struct vmcfg_span span,
		   const char *text)
{
	if (!diag || !text)
		return VMCFG_EINVAL;
	const char *copy = vmcfg_arena_strndup(&d->arena, text, strlen(text));
	if (!copy) {
		d->oom = true;
		return VMCFG_ENOMEM;
	}
	diag->fix = copy;
	diag->fix_span = span;
	return 0;
}

void vmcfg_diags_promote(struct vmcfg_diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		if (d->items[i].severity == VMCFG_SEV_WARNING) {
			d->items[i].severity = VMCFG_SEV_ERROR;
			count(d, VMCFG_SEV_WARNING, -1);
			count(d, VMCFG_SEV_ERROR, 1);
		}
	}
}

void vmcfg_diags_truncate(struct vmcfg_diags *d, size_t keep)
{
	while (d->count > keep) {
		d->count--;
		count(d, d->items[d->count].severity, -1);
	}
}

static int compare_str(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	size_t la = strlen(a), lb = strlen(b);
	int c = memcmp(a, b, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

static int compare_diag(const struct vmcfg_diag *a, const struct vmcfg_diag *b)
{
	int c = compare_str(a->primary.file, b->primary.file);
	if (c)
		return c;
	if (a->primary.span.line != b->primary.span.line)
		return a->primary.span.line < b->primary.span.line ? -1 : 1;
	if (a->primary.span.col != b->primary.span.col)
		return a->primary.span.col < b->primary.span.col ? -1 : 1;
	return 0;
}

/* Binary insertion sort: stable, needs no buffer; the fallback when none can be had. */
static void insertion_sort(struct vmcfg_diag *items, size_t count)
{
	for (size_t i = 1; i < count; i++) {
		struct vmcfg_diag x = items[i];
		size_t lo = 0, hi = i;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (compare_diag(&items[mid], &x) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(&items[lo + 1], &items[lo], (i - lo) * sizeof x);
		items[lo] = x;
	}
}

/* Bottom-up merge sort of items through tmp (as large): stable, O(n log n). */
static void merge_sort(struct vmcfg_diag *items, struct vmcfg_diag *tmp, size_t count)
{
	struct vmcfg_diag *src = items, *dst = tmp;
	for (size_t run = 1; run < count; run *= 2) {
		for (size_t lo = 0; lo < count; lo += 2 * run) {
			size_t mid = lo + run < count ? lo + run : count;
			size_t hi = mid + run < count ? mid + run : count;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				dst[k++] = compare_diag(&src[b], &src[a]) < 0 ? src[b++] : src[a++];
			while (a < mid)
				dst[k++] = src[a++];
			while (b < hi)
				dst[k++] = src[b++];
		}
		struct vmcfg_diag *t = src;
		src = dst;
		dst = t;
	}
	if (src != items)
		memcpy(items, src, count * sizeof *items);
}

/*
 * A hostile file can hold 10^5 findings, where insertion sort would take
 * minutes: merge sort when the allocator gives a buffer, else insertion.
 */
void vmcfg_diags_sort(struct vmcfg_diags *d)
{
	if (d->count < 2)
		return;
	size_t bytes = d->count * sizeof *d->items;
	struct vmcfg_diag *tmp = d->count < 64 ? NULL : d->alloc.fn(d->alloc.ud, NULL, 0, bytes);
	if (!tmp) {
		insertion_sort(d->items, d->count);
		return;
	}
	merge_sort(d->items, tmp, d->count);
	d->alloc.fn(d->alloc.ud, tmp, bytes, 0);
}

/* Levenshtein distance, bounded: returns limit + 1 as soon as it must exceed limit. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
	size_t row[64];
	if (lb >= sizeof row / sizeof row[0] || la >= 64)
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

const char *vmcfg_nearest_name(const char *word, size_t len, const char *const *names, size_t n)
{
	size_t limit = len / 3 ? len / 3 : 1;
	const char *best = NULL;
	size_t best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, len, names[i], strlen(names[i]), limit);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	return best;
}
