/* SPDX-License-Identifier: MIT */
/*
 * The boot flow: load the system file and its VM files, check them with the
 * library, report, create the VMs whose files are clean, run them side by
 * side, print a summary, pick the exit status.
 */
#include "core/arch.h"
#include "core/console.h"
#include "core/console_input.h"
#include "core/cpu_online.h"
#include "core/files.h"
#include "core/frames.h"
#include "core/guest_dt.h"
#include "core/heap.h"
#include "core/ivc.h"
#include "core/libc.h"
#include "core/panic.h"
#include "core/sched.h"
#include "core/vm.h"
#include "core/vm_boot.h"
#include "libfdt-env/stdlib.h"
#include "vmcfg/check.h"

/* Longest VM file path: the built-in paths are short source-tree paths. */
#define HV_PATH_MAX 256

static struct hv_vm vms[HV_MAX_VMS];

/* One VM file of the system. */
struct vm_file {
	char path[HV_PATH_MAX]; /* as the CLI opens it: relative to the system file */
	struct vmcfg_vm_spec *spec;   /* NULL: not built in, or not TOML (reported), or skipped */
	bool skipped;                 /* not loaded: it cannot hold a VM the boot needs (vms=) */
	size_t errors;          /* error findings located in this file */
	struct vmcfg_vm_config *cfg;  /* set once converted; kept until its VM is gone */
	void *guest_dt;               /* its guest DT built at boot (or NULL), kept as long */
	size_t guest_dt_size;
};

static bool str_eq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return strlen(b) == n && memcmp(a, b, n) == 0;
}

/* Calls fn(name, len) for each non-empty comma-separated name of list; false if fn does. */
static bool each_name(const char *list, size_t len, bool (*fn)(const char *, size_t, void *),
		      void *ud)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++)
		if (i == len || list[i] == ',') {
			if (i > start && !fn(list + start, i - start, ud))
				return false;
			start = i + 1;
		}
	return true;
}

static bool same_name(const char *name, size_t len, const struct vmcfg_vm_spec *spec)
{
	return spec && spec->base.name.set && spec->base.name.len == len &&
	       memcmp(spec->base.name.s, name, len) == 0;
}

/* each_name callback: stops (false) at the VM name wanted. */
static bool not_this(const char *name, size_t len, void *spec)
{
	return !same_name(name, len, spec);
}

struct known {
	const struct vm_file *files;
	size_t count;
	bool all_known;
};

/* each_name callback: reports a name no VM file has. */
static bool check_known(const char *name, size_t len, void *ud)
{
	struct known *k = ud;

	for (size_t i = 0; i < k->count; i++)
		if (same_name(name, len, k->files[i].spec))
			return true;
	hv_log("vms=: no VM named '%.*s'", (int)len, name);
	k->all_known = false;
	return true; /* go on: report every unknown name */
}

static bool selected(const struct vm_file *f, const char *select, size_t select_len)
{
	return !select || !each_name(select, select_len, not_this, f->spec);
}

/*
 * With vms= a boot reads only the VM files it may need, since under QEMU's
 * TCG every instruction of the boot is translated for one use (BENCHMARKS.md,
 * "Boot to the first guest line"): the files of the selected VMs and of the
 * VMs that share an IVC channel with them (E0310 and the channel's window
 * rules need those), by name, closed over the channels. A VM's name is only
 * known once its file is decoded, so a file is skipped only when its text
 * cannot spell any of those names as a string: none of them occurs in it
 * between a quote or newline (the newline a multi-line string drops) and a
 * closing quote, and it holds no backslash (an escape could spell one). That
 * keeps every file that holds a
 * VM the boot needs, and the checks of those VMs among themselves are those
 * of a boot that reads every file; only rules between a running VM and one
 * that does not run (duplicate ids, pinned CPUs: they never meet) go. So do
 * the rules of the channels none of whose VMs the boot needs: they are left
 * out of the system the checker is given (checked_system), else each would
 * name VMs whose files were not read (E0310).
 */
struct wanted {
	const char **name; /* the names the boot needs (not NUL-terminated) */
	size_t *len;
	size_t count;
	bool *channel_in;  /* sys->ivc[i] has a participant the boot needs */
	struct vmcfg_ivc_channel *ivc; /* those channels, for checked_system */
	size_t ivc_count;
};

static bool wanted_has(const struct wanted *w, const char *name, size_t len)
{
	for (size_t i = 0; i < w->count; i++)
		if (w->len[i] == len && memcmp(w->name[i], name, len) == 0)
			return true;
	return false;
}

static void wanted_add(struct wanted *w, const char *name, size_t len)
{
	if (!wanted_has(w, name, len)) {
		w->name[w->count] = name;
		w->len[w->count++] = len;
	}
}

/* each_name callback: adds a selected name. */
static bool add_selected(const char *name, size_t len, void *w)
{
	wanted_add(w, name, len);
	return true;
}

/*
 * The names of the selected VMs and, closed over sys's IVC channels, of
 * every VM sharing a channel with one of them. Returns false when out of
 * memory (the caller then reads every file).
 */
static bool wanted_names(const struct vmcfg_system *sys, const char *select, size_t select_len,
			 struct vmcfg_arena *arena, struct wanted *w)
{
	size_t max = select_len / 2 + 1; /* names of at least one byte, comma-separated */
	bool grew = true;

	for (size_t i = 0; i < sys->ivc_count; i++)
		max += 1 + sys->ivc[i].subscriber_count;
	w->name = vmcfg_arena_alloc(arena, max * sizeof *w->name, 16);
	w->len = vmcfg_arena_alloc(arena, max * sizeof *w->len, 16);
	w->channel_in = vmcfg_arena_zalloc(arena, sys->ivc_count + 1, 1);
	w->ivc = vmcfg_arena_alloc(arena, (sys->ivc_count + 1) * sizeof *w->ivc, 16);
	w->count = w->ivc_count = 0;
	if (!w->name || !w->len || !w->channel_in || !w->ivc)
		return false;
	each_name(select, select_len, add_selected, w);
	while (grew) {
		grew = false;
		for (size_t i = 0; i < sys->ivc_count; i++) {
			const struct vmcfg_ivc_channel *ch = &sys->ivc[i];
			bool in = ch->publisher.set &&
				  wanted_has(w, ch->publisher.s, ch->publisher.len);

			for (size_t k = 0; !in && k < ch->subscriber_count; k++)
				in = ch->subscribers[k].vm.set &&
				     wanted_has(w, ch->subscribers[k].vm.s, ch->subscribers[k].vm.len);
			if (!in || w->channel_in[i])
				continue;
			w->channel_in[i] = grew = true;
			if (ch->publisher.set)
				wanted_add(w, ch->publisher.s, ch->publisher.len);
			for (size_t k = 0; k < ch->subscriber_count; k++)
				if (ch->subscribers[k].vm.set)
					wanted_add(w, ch->subscribers[k].vm.s, ch->subscribers[k].vm.len);
		}
	}
	for (size_t i = 0; i < sys->ivc_count; i++)
		if (w->channel_in[i])
			w->ivc[w->ivc_count++] = sys->ivc[i];
	return true;
}

/*
 * The system as the checker sees it: sys itself, or with w (vms=) a view of
 * it (*view, sharing sys's memory) whose IVC channels are those w needs.
 */
static const struct vmcfg_system *checked_system(const struct vmcfg_system *sys,
						 const struct wanted *w, struct vmcfg_system *view)
{
	if (!w)
		return sys;
	*view = *sys;
	view->ivc = w->ivc;
	view->ivc_count = w->ivc_count;
	return view;
}

/* Whether text holds s as a whole string's value: "s", 's', or after a multi-line string's newline. */
static bool text_has(const char *text, size_t size, const char *s, size_t len)
{
	const char *end = text + size;

	for (const char *p = text + 1; len && end - p > (ptrdiff_t)len; p++) {
		p = memchr(p, s[0], (size_t)(end - p) - len);
		if (!p)
			return false;
		if ((p[-1] == '"' || p[-1] == '\'' || p[-1] == '\n') &&
		    (p[len] == '"' || p[len] == '\'') && memcmp(p, s, len) == 0)
			return true;
	}
	return false;
}

/* Whether a VM file of this text may be named one of w's names (see struct wanted). */
static bool may_name(const struct wanted *w, const char *text, size_t size)
{
	if (memchr(text, '\\', size))
		return true;
	for (size_t i = 0; i < w->count; i++)
		if (text_has(text, size, w->name[i], w->len[i]))
			return true;
	return false;
}

/*
 * With vms= a boot starts some of the system's VMs: the totals of every file
 * the system names (E0315 host RAM, E0316 number of VMs) are not those of what
 * runs, so they are dropped (the boot tests' catalogue, examples/qemu/system.toml,
 * names more VMs than run at once). What is created still fails cleanly when
 * RAM runs out.
 */
static void drop_whole_file_totals(struct vmcfg_diags *d, const char *system_file)
{
	size_t n = 0;
	for (size_t k = 0; k < d->count; k++) {
		const struct vmcfg_diag *g = &d->items[k];
		/* E0316 at the system file counts VMs; at a VM file it is that VM's vCPUs. */
		bool total = g->rule == VMCFG_R_HOST_RAM_EXCEEDED ||
			     (g->rule == VMCFG_R_HV_LIMIT && g->primary.file && system_file &&
			      !strcmp(g->primary.file, system_file));
		if (!total) {
			d->items[n++] = *g;
			continue;
		}
		if (g->severity == VMCFG_SEV_ERROR)
			d->errors--;
		else if (g->severity == VMCFG_SEV_WARNING)
			d->warnings--;
		else
			d->notes--;
	}
	d->count = n;
}

static bool image_in_memory(const struct vmcfg_vm_spec *spec)
{
	const struct vmcfg_spec_str *loc = &spec->kernel.image_location;

	return loc->set && loc->len == 6 && memcmp(loc->s, "memory", 6) == 0;
}

/*
 * vmcfg_check_opts.image_size: the size of a built-in image, so the checker
 * knows whether it fits its VM's RAM, as the CLI knows from the file.
 */
static bool image_size(void *ud, const struct vmcfg_vm_spec *spec, enum vmcfg_image_kind kind,
		       const char *path, uint64_t *size)
{
	const struct hv_file *f;

	(void)ud;
	(void)kind;
	if (!image_in_memory(spec))
		return false; /* an "fs" path names a file on a target file system */
	f = hv_file_find_relative(spec->file, path);
	if (!f)
		return false;
	*size = f->size;
	return true;
}

/* A console line being built: cut to fit, with room kept for its newline. */
struct line {
	char buf[512];
	size_t n;
};

static void append(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->n += vmcfg_vsnprintf(l->buf + l->n, sizeof l->buf - 1 - l->n, fmt, ap);
	va_end(ap);
	if (l->n > sizeof l->buf - 2)
		l->n = sizeof l->buf - 2;
}

static void emit(struct line *l)
{
	l->buf[l->n++] = '\n';
	console_write(l->buf, l->n);
}

static void append_loc(struct line *l, const struct vmcfg_loc *loc)
{
	if (loc->file && loc->span.line)
		append(l, "%s:%u:%u: ", loc->file, (unsigned)loc->span.line, (unsigned)loc->span.col);
	else if (loc->file)
		append(l, "%s: ", loc->file);
}

static void print_line(const struct vmcfg_loc *loc, const char *severity, const char *code,
		       const char *message)
{
	struct line l = { .n = 0 };

	append_loc(&l, loc);
	append(&l, "%s", severity);
	if (code)
		append(&l, "[%s]", code);
	append(&l, ": %s", message);
	emit(&l);
}

/*
 * A finding in the CLI's text form without the source excerpts, so the
 * lines are the CLI's: "file:line:col: error[E0xxx]: message", then
 * "file:line:col: note: <related>" and "  = help: <hint>" when there are.
 */
static void print_diag(const struct vmcfg_diag *g)
{
	print_line(&g->primary,
		   g->severity == VMCFG_SEV_ERROR     ? "error"
		   : g->severity == VMCFG_SEV_WARNING ? "warning"
						      : "note",
		   g->code, g->message);
	if (g->related.file || g->related.span.line)
		print_line(&g->related, "note", NULL,
			   g->related_message ? g->related_message : "related");
	if (g->hint) {
		struct line l = { .n = 0 };

		append(&l, "  = help: %s", g->hint);
		emit(&l);
	}
}

/*
 * Loads the VM files of sys into files[0..sys->vm_count): a file that is not
 * built in becomes an E0001 finding at its entry in the system file. With
 * w (vms=), a file that cannot hold a VM of w is skipped (struct wanted).
 * Returns 0 or VMCFG_ENOMEM.
 */
static int load_vm_files(const struct vmcfg_system *sys, struct vm_file *files,
			 const struct wanted *w, struct vmcfg_diags *diags)
{
	for (size_t i = 0; i < sys->vm_count; i++) {
		struct vm_file *f = &files[i];
		struct vmcfg_loc entry = { sys->file, sys->vms[i].span };
		size_t len = vmcfg_system_vm_path(sys, i, f->path, sizeof f->path);
		const struct hv_file *text;
		int err;

		if (len == 0)
			continue; /* an invalid entry: decoding reported it */
		text = len < sizeof f->path ? hv_file_find(f->path) : NULL;
		if (!text) {
			err = vmcfg_diag_add(diags, VMCFG_R_IO, entry, NULL,
					     "cannot read %s: not built into the hypervisor",
					     f->path);
		} else if (w && !may_name(w, (const char *)text->data, text->size)) {
			f->skipped = true;
			err = 0;
		} else {
			err = vmcfg_vm_spec_load((const char *)text->data, text->size, f->path, &hv_heap,
					   diags, &f->spec);
		}
		if (err)
			return err;
	}
	return 0;
}

/* Counts each file's error findings; returns those of no VM file (the system file's). */
static size_t count_errors(const struct vmcfg_diags *diags, struct vm_file *files, size_t n)
{
	size_t other = 0;

	for (size_t k = 0; k < diags->count; k++) {
		const struct vmcfg_diag *g = &diags->items[k];
		size_t i = 0;

		if (g->severity != VMCFG_SEV_ERROR)
			continue;
		while (i < n && !(g->primary.file && files[i].path[0] &&
				  str_eq(g->primary.file, files[i].path)))
			i++;
		if (i < n)
			files[i].errors++;
		else
			other++;
	}
	return other;
}

/*
 * The passthrough windows and SPIs of a VM as `vmcfg build` prints them
 * (tests/qemu/run compares the two on the same host DT).
 */
static void log_passthrough(const struct vmcfg_vm *vm)
{
	char b[VMCFG_FMT_BUF], h[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];

	for (size_t i = 0; i < vm->pt_window_count; i++) {
		const struct vmcfg_vm_pt_window *w = &vm->pt_windows[i];

		hv_log("vm '%s': passthrough %-24s GPA %s -> HPA %s size %s%s", vm->name, w->name,
		       vmcfg_fmt_hex(b, w->gpa), vmcfg_fmt_hex(h, w->hpa), vmcfg_fmt_hex(s, w->size),
		       w->merged ? " (merged)" : "");
	}
	if (vm->pt_window_count || vm->spi_count)
		hv_log("vm '%s': interrupt mode: %s, %ss: %zu", vm->name,
		       vmcfg_irq_mode_name(vm->irq_mode), vmcfg_arch_host_irq_name(vm->arch),
		       vm->spi_count);
}

/* Converts and creates f's VM as hv, places and registers it; false (reported) when it cannot. */
static bool create_vm(struct vm_file *f, const struct vmcfg_system *sys, struct hv_vm *hv,
		      uint16_t vmid)
{
	const char *name = f->spec->base.name.set ? f->spec->base.name.s : "?";
	char where[64];
	size_t n = 0;
	int err;

	if (f->errors) {
		hv_log("vm '%s' (%s): not started: %zu error(s) in its file", name, f->path,
		       f->errors);
		return false;
	}
	err = vmcfg_vm_config_from_spec(f->spec, &hv_heap, &f->cfg);
	if (err) {
		hv_log("vm '%s' (%s): not started: %s", name, f->path, vmcfg_strerror(err));
		return false;
	}
	err = hv_guest_dt_resolve(f->spec, f->cfg);
	if (err) {
		hv_log("vm '%s' (%s): not started: %s", name, f->path, vmcfg_strerror(err));
		return false;
	}
	f->guest_dt = hv_guest_dt_build(f->spec, f->cfg, f->path, sys, &f->guest_dt_size);
	err = hv_vm_create(hv, f->cfg, f->path, f->guest_dt, f->guest_dt_size, sys, vmid);
	if (!err) {
		/* Placing comes last: once its vCPUs are in a run queue, nothing may fail. */
		err = hv_ivc_attach(hv);
		if (!err) {
			err = sched_place(hv);
			if (err)
				hv_ivc_detach(hv);
			else
				hv_arch_vm_route_irqs(hv); /* to the CPU its vCPU 0 was placed on */
		}
		if (err)
			hv_vm_destroy(hv);
	}
	if (err) {
		hv_log("vm '%s' (%s): not created: %s", name, f->path, vmcfg_strerror(err));
		return false;
	}
	for (uint32_t i = 0; i < hv->vcpu_count && n < sizeof where; i++)
		n += vmcfg_snprintf(where + n, sizeof where - n, "%svCPU%u on cpu%u", i ? ", " : "",
				    i, hv->vcpus[i].pcpu);
	hv_log("vm '%s' (id %llu, VMID %u, %s): entry %#llx; %s", hv->vm->name,
	       (unsigned long long)hv->vm->id, hv->vmid, f->path,
	       (unsigned long long)hv_arch_vcpu_pc(&hv->vcpus[0]), where);
	log_passthrough(hv->vm);
	hv_vm_register(hv);
	return true;
}

/*
 * Creates the selected VMs into vms[], runs them on every online CPU until
 * all have ended, prints one summary line per VM, and returns the exit
 * status; system_ok is false when the system file itself has errors.
 */
static int run_vms(struct vm_file *files, const struct vmcfg_system *sys, const char *select,
		   size_t select_len, bool system_ok)
{
	size_t count = sys->vm_count, created = 0, failed = 0, off = 0;
	bool all_known = true;

	if (select) {
		struct known k = { files, count, true };

		each_name(select, select_len, check_known, &k);
		all_known = k.all_known;
	}
	for (size_t i = 0; i < count; i++) {
		struct vm_file *f = &files[i];

		if (f->skipped)
			continue;
		if (!f->spec) {
			failed++; /* not loaded (reported): whatever VM it holds cannot start */
			continue;
		}
		if (!selected(f, select, select_len))
			continue;
		if (created == HV_MAX_VMS) {
			hv_log("vm file %s: not started: at most %d VMs", f->path, HV_MAX_VMS);
			failed++;
			continue;
		}
		/* VMID 0 stays unused: a VTTBR_EL2 never set up never aliases a VM. */
		if (create_vm(f, sys, &vms[created], (uint16_t)(created + 1)))
			created++;
		else
			failed++;
	}

	/* A static channel not set up leaves the system not as configured: exit status 2. */
	failed += hv_ivc_setup_static(sys, vms, created);
	if (created) {
		console_input_start(vms, created);
		sched_run_all();
		console_input_stop();
	}
	/* No CPU runs a VM any more: channels first (they hold VMs), then the VMs. */
	hv_ivc_destroy();
	for (size_t i = 0; i < created; i++) {
		off += vms[i].end == HV_VM_OFF;
		char traps[256];

		hv_log("summary: vm '%s': %s: %s", vms[i].vm->name,
		       vms[i].end == HV_VM_OFF ? "powered off" : "stopped", vms[i].reason);
		hv_vm_format_traps(&vms[i], traps, sizeof traps);
		hv_log("exits: vm '%s': %s", vms[i].vm->name, traps[0] ? traps : "none");
		hv_vm_destroy(&vms[i]);
	}
	hv_log("%zu VM(s) ran: %zu powered off, %zu stopped by the hypervisor; %zu failed to start",
	       created, off, created - off, failed);
	if (created == 0 && failed == 0 && all_known) {
		hv_log("no VM selected");
		return HV_EXIT_VM_FAILED;
	}
	/* A VM the hypervisor stopped is an outcome, not a failure (panic.h). */
	return failed == 0 && all_known && system_ok ? HV_EXIT_OK : HV_EXIT_VM_FAILED;
}

/*
 * The declared [platform] against the machine the device tree describes
 * (W0409): a warning, since the VMs the difference does not touch still
 * run as checked.
 */
static void compare_platform(const struct vmcfg_system *sys, const struct dtb_info *dt,
			     struct vmcfg_diags *diags)
{
	struct vmcfg_host_range ram[DTB_MAX_MEM];
	struct vmcfg_platform machine = { .cpu_num = dt->cpu_count,
					  .phys_cpu_ids = dt->cpu_mpidr,
					  .ram = ram,
					  .ram_count = dt->mem_count };

	if (!sys->has_platform)
		return;
	for (uint32_t i = 0; i < dt->mem_count; i++)
		ram[i] = (struct vmcfg_host_range){ .base = dt->mem[i].base, .size = dt->mem[i].size };
	vmcfg_check_platform_machine(&sys->platform, &machine, "the device tree it boots with",
				     diags);
}

int vm_boot(const char *path, size_t path_len, const char *select, size_t select_len,
	    const struct dtb_info *machine)
{
	uint32_t cpu_count = machine->cpu_count;
	/* E0315 counts the stage-2 tables of the shape hv_vm_create builds. */
	struct vmcfg_check_opts opts = { .image_size = image_size,
					 .aspace_options = HV_ARCH_STAGE2_OPTIONS,
					 .arch = HV_ARCH_VMCFG };
	char sys_path[HV_PATH_MAX];
	const struct hv_file *text;
	struct vmcfg_system *sys = NULL;
	struct vmcfg_arena arena; /* the per-file arrays, for the whole boot */
	struct vm_file *files = NULL;
	const struct vmcfg_vm_spec **specs = NULL;
	struct vmcfg_diags diags;
	struct wanted wanted = { 0 }, *w = NULL;
	struct vmcfg_system view;
	size_t system_errors;
	int status = HV_EXIT_VM_FAILED, err;

	vmcfg_snprintf(sys_path, sizeof sys_path, "%.*s", (int)path_len, path);
	text = path_len < sizeof sys_path ? hv_file_find(sys_path) : NULL;
	if (!text) {
		hv_log("system=%.*s: no such built-in system file", (int)path_len, path);
		hv_log("%u of %u CPUs online", cpu_wait_secondaries(), cpu_count);
		return HV_EXIT_VM_FAILED;
	}
	hv_log("system %s", sys_path);

	vmcfg_arena_init(&arena, &hv_heap, 0);
	vmcfg_diags_init(&diags, &hv_heap);
	err = vmcfg_system_load((const char *)text->data, text->size, sys_path, &hv_heap, &diags,
				&sys);
	if (!err && sys) {
		files = vmcfg_arena_zalloc(&arena, sys->vm_count * sizeof *files, 16);
		specs = vmcfg_arena_zalloc(&arena, sys->vm_count * sizeof *specs, 16);
		if (select && wanted_names(sys, select, select_len, &arena, &wanted))
			w = &wanted;
		err = (files && specs) || !sys->vm_count ? load_vm_files(sys, files, w, &diags)
							 : VMCFG_ENOMEM;
	}
	if (!err && sys) {
		for (size_t i = 0; i < sys->vm_count; i++)
			specs[i] = files[i].spec;
		/* The same call as `vmcfg check --system`, so the same rules. */
		err = vmcfg_check_system(checked_system(sys, w, &view),
					 sys->has_platform ? &sys->platform : NULL, specs, sys->vm_count,
					 &opts, &diags);
		compare_platform(sys, machine, &diags);
	}

	if (select && sys)
		drop_whole_file_totals(&diags, sys->file);
	vmcfg_diags_sort(&diags);
	for (size_t k = 0; k < diags.count; k++)
		print_diag(&diags.items[k]);
	/* Placing vCPUs needs every CPU online; they started while the files were read. */
	hv_log("%u of %u CPUs online", cpu_wait_secondaries(), cpu_count);
	if (!sys) {
		hv_log("%s: %s; no VM started", sys_path,
		       err ? vmcfg_strerror(err) : "not a valid system file");
	} else if (err || diags.oom) {
		/* Configs the checks did not fully cover are not booted: the checks are the point. */
		hv_log("%s: checking failed: %s; no VM started", sys_path,
		       vmcfg_strerror(err ? err : VMCFG_ENOMEM));
	} else {
		system_errors = count_errors(&diags, files, sys->vm_count);
		if (system_errors)
			hv_log("%s: %zu error(s) in the system file", sys_path, system_errors);
		err = hv_ivc_init(sys);
		if (err)
			hv_log("IVC registry: %s; no VM started", vmcfg_strerror(err));
		else
			status = run_vms(files, sys, select, select_len, system_errors == 0);
	}

	for (size_t i = 0; files && i < sys->vm_count; i++) {
		vmcfg_vm_config_free(files[i].cfg);
		vmcfg_vm_spec_free(files[i].spec);
		free(files[i].guest_dt);
	}
	vmcfg_system_free(sys);
	vmcfg_diags_free(&diags);
	vmcfg_arena_release(&arena);
	return status;
}
