/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for everything after the parser: decode (vm_spec,
 * system file), the checker across several files, conversion to
 * vm_config, and the emitters — what `vmcfg check --system` and `vmcfg fmt`
 * run on untrusted files.
 *
 * Input: parts separated by lines "%%\n". With one part it is a VM file
 * checked alone; with more, part 0 is a system file and the others are its
 * VM files (the system's own `vms` list is not followed).
 *
 * Invariants (a violation ends in __builtin_trap()):
 *   - every call returns 0 (or VMCFG_ENOMEM, which the host allocator never gives);
 *   - every diagnostic has a catalogued code, a message, and a primary span
 *     inside its file (or no location);
 *   - a VM file without errors converts (vmcfg_vm_config_from_spec succeeds), and
 *     its canonical TOML with comments (vmcfg_vm_spec_emit_toml_commented, as
 *     `vmcfg fmt` writes it) decodes again without errors to the same JSON
 *     (vmcfg_vm_spec_emit_json) and holds every comment of the file — `vmcfg fmt`
 *     never breaks a file nor loses a comment;
 *   - after everything is freed the counting allocator holds nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/check.h"
#include "vmcfg/config.h"
#include "vmcfg/host.h"

#include "../lib/spec/comments.h" /* the file's comments, to find each in the output */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "fuzz_config: invariant violated at %s:%d: %s\n",  \
				__FILE__, __LINE__, #cond);                                 \
			__builtin_trap();                                                  \
		}                                                                          \
	} while (0)

#define MAX_PARTS 5

struct part {
	const char *text;
	size_t len;
	char name[16];
};

struct buffer {
	char *data;
	size_t len, cap;
};

static void buffer_write(void *ud, const char *s, size_t len)
{
	struct buffer *b = ud;
	if (b->len + len > b->cap) {
		size_t cap = (b->len + len) * 2;
		char *p = realloc(b->data, cap);
		CHECK(p);
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

static size_t split(const char *text, size_t len, struct part *parts)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i + 3 <= len && n + 1 < MAX_PARTS; i++) {
		if ((i == 0 || text[i - 1] == '\n') && !memcmp(text + i, "%%\n", 3)) {
			parts[n].text = text + start;
			parts[n].len = i - start;
			n++;
			start = i + 3;
			i += 2;
		}
	}
	parts[n].text = text + start;
	parts[n].len = len - start;
	n++;
	for (size_t i = 0; i < n; i++)
		snprintf(parts[i].name, sizeof parts[i].name, "part%zu.toml", i);
	return n;
}

static void check_diags(const struct vmcfg_diags *d, const struct part *parts, size_t n)
{
	CHECK(!d->oom);
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		const struct vmcfg_rule_info *info = vmcfg_rule_info(g->rule);
		CHECK(info && g->code && !strcmp(g->code, info->code));
		CHECK(g->message && g->message[0]);
		if (!g->primary.file)
			continue;
		size_t k = 0;
		while (k < n && strcmp(parts[k].name, g->primary.file))
			k++;
		CHECK(k < n);
		CHECK(g->primary.span.offset <= parts[k].len);
		CHECK(g->primary.span.length <= parts[k].len - g->primary.span.offset);
		CHECK(g->primary.span.line >= 1 || g->primary.span.length == 0);
	}
}

static size_t errors_in(const struct vmcfg_diags *d, const char *file)
{
	size_t n = 0;
	for (size_t i = 0; i < d->count; i++)
		n += d->items[i].severity == VMCFG_SEV_ERROR && d->items[i].primary.file &&
		     !strcmp(d->items[i].primary.file, file);
	return n;
}

static bool contains(const struct buffer *b, const char *s, size_t len)
{
	for (size_t i = 0; i + len <= b->len; i++)
		if (!memcmp(b->data + i, s, len))
			return true;
	return false;
}

/* Every comment of the source text is somewhere in the formatted output. */
static void check_comments_kept(const struct part *src, const struct buffer *toml,
				const struct vmcfg_allocator *a)
{
	struct vmcfg_arena arena;
	struct spec_comment_plan plan;
	size_t n;
	vmcfg_arena_init(&arena, a, 0);
	/* Given no output lines, the plan puts every comment in the head group. */
	CHECK(vmcfg_spec_comment_plan_build(&plan, &arena, src->text, src->len, NULL, 0) == 0);
	const size_t *all = vmcfg_spec_comments_of(&plan, SPEC_COMMENT_HEAD, &n);
	for (size_t i = 0; i < n; i++) {
		const struct spec_comment *c = &plan.comments[all[i]];
		CHECK(contains(toml, src->text + c->offset, c->len));
	}
	vmcfg_arena_release(&arena);
}

/*
 * A clean file converts, and its canonical TOML with comments reads back
 * to the same spec.
 */
static void check_round_trip(const struct vmcfg_vm_spec *spec, const struct part *src,
			     const struct vmcfg_allocator *a)
{
	struct vmcfg_vm_config *cfg = NULL;
	CHECK(vmcfg_vm_config_from_spec(spec, a, &cfg) == 0);
	struct buffer json = { 0 }, cfg_json = { 0 }, toml = { 0 };
	struct vmcfg_writer wj = { buffer_write, &json }, wc = { buffer_write, &cfg_json },
			    wt = { buffer_write, &toml };
	vmcfg_vm_config_emit_json(cfg, &wc);
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_emit_json(spec, &wj);
	CHECK(vmcfg_vm_spec_emit_toml_commented(spec, src->text, src->len, a, &wt) == 0);
	check_comments_kept(src, &toml, a);

	struct vmcfg_diags d2;
	struct vmcfg_vm_spec *again = NULL;
	vmcfg_diags_init(&d2, a);
	CHECK(vmcfg_vm_spec_load(toml.data, toml.len, "fmt.toml", a, &d2, &again) == 0);
	CHECK(again && d2.errors == 0);
	struct buffer json2 = { 0 };
	struct vmcfg_writer wj2 = { buffer_write, &json2 };
	vmcfg_vm_spec_emit_json(again, &wj2);
	CHECK(json.len == json2.len && !memcmp(json.data, json2.data, json.len));
	vmcfg_vm_spec_free(again);
	vmcfg_diags_free(&d2);
	free(json.data);
	free(json2.data);
	free(cfg_json.data);
	free(toml.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct part parts[MAX_PARTS];
	size_t n = split((const char *)data, size, parts);
	size_t first_vm = n > 1 ? 1 : 0;
	struct vmcfg_system *sys = NULL;
	struct vmcfg_vm_spec *specs[MAX_PARTS] = { 0 };
	struct vmcfg_diags d;

	vmcfg_diags_init(&d, &a);
	if (n > 1)
		CHECK(vmcfg_system_load(parts[0].text, parts[0].len, parts[0].name, &a, &d, &sys) == 0);
	for (size_t i = first_vm; i < n; i++)
		CHECK(vmcfg_vm_spec_load(parts[i].text, parts[i].len, parts[i].name, &a, &d, &specs[i]) == 0);
	const struct vmcfg_platform *platform = sys && sys->has_platform ? &sys->platform : NULL;
	if (n > 1) {
		CHECK(vmcfg_check_system(sys, platform, (const struct vmcfg_vm_spec *const *)specs + 1, n - 1,
					 NULL, &d) == 0);
	} else if (specs[0]) {
		CHECK(vmcfg_check_vm(specs[0], NULL, NULL, &d) == 0);
	}
	check_diags(&d, parts, n);
	for (size_t i = first_vm; i < n; i++)
		if (specs[i] && errors_in(&d, parts[i].name) == 0)
			check_round_trip(specs[i], &parts[i], &a);
	for (size_t i = 0; i < n; i++)
		vmcfg_vm_spec_free(specs[i]);
	vmcfg_system_free(sys);
	vmcfg_diags_free(&d);
	CHECK(st.in_use == 0);
	return 0;
}
