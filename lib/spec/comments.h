/* SPDX-License-Identifier: MIT */
/*
 * The comments of a VM file and where `vmcfg fmt` writes them (lib/spec
 * internal). The canonical TOML reorders keys and tables, so comments
 * cannot be copied by position: each comment is attached to one line of
 * the output (a table header, a key, an element of a multi-line array, or
 * the array's closing bracket), found through the source spans the spec
 * keeps, and travels with it. No comment is ever dropped.
 *
 * Placement, for a comment at source offset o (the first rule that applies):
 *   1. inside a value written on one output line (a record split over
 *      several lines, a list of numbers over several lines): above that
 *      line — the innermost such value;
 *   2. after code on its own line: at the end of the output line of the
 *      value that ends last before it on that line;
 *   3. before every line that has a source position: the file header,
 *      written first;
 *   4. above the next line (in source order) that has a source position —
 *      so a comment between array elements stays with the next element or
 *      with the closing bracket, and comments about a key that is not
 *      written (an unknown key, dropped with a warning) go to the next key;
 *   5. otherwise (after the last line): at the end of the file.
 * The canonical output places every comment where these rules find it
 * again, so formatting is idempotent. Cost: O((comments + lines) log lines)
 * time (one sweep per rule over the lines sorted by source offset) and
 * O(comments + lines) memory.
 */
#ifndef VMCFG_LIB_SPEC_COMMENTS_H
#define VMCFG_LIB_SPEC_COMMENTS_H

#include "vmcfg/base.h"

/* Which part of a value an output line stands for. */
enum spec_line_part {
	SPEC_LINE_WHOLE,   /* the whole value is on this line */
	SPEC_LINE_OPENING, /* the '[' of a multi-line array (the key's line) */
	SPEC_LINE_CLOSING  /* its ']' */
};

/* A line of the output and the source bytes it comes from. */
struct spec_line {
	size_t start, end; /* source offsets, end exclusive */
	bool placed;       /* false: not in the source (a default), holds no comment */
	bool holds;        /* comments inside [start, end) belong to it (SPEC_LINE_WHOLE) */
};

/* One '#' comment of the source. */
struct spec_comment {
	size_t offset, len;  /* from '#' to the end of its line, trailing blanks removed */
	bool full_line;      /* nothing but blanks before it on its line */
	bool blank_before;   /* an empty line separates it from what comes before */
	size_t owner;        /* SPEC_COMMENT_HEAD, a line index, or SPEC_COMMENT_TAIL */
	bool trailing;       /* at the end of the owner's line rather than above it */
};

#define SPEC_COMMENT_HEAD ((size_t)-2)
#define SPEC_COMMENT_TAIL ((size_t)-1)

/* The comments of a source grouped by the output line that writes them. */
struct spec_comment_plan {
	const char *text;
	struct spec_comment *comments; /* in source order */
	size_t *order;                 /* comment indices grouped by owner, source order within */
	size_t *first;                 /* group g is order[first[g] .. first[g + 1]) */
	size_t line_count;
	bool head_blank; /* an empty line separates the file header from what follows */
};

/*
 * Scans text (len bytes of TOML that parsed) for comments and attaches
 * each to one of lines (n, in output order) by the rules above. All memory
 * comes from arena. Returns 0 or VMCFG_ENOMEM.
 */
int vmcfg_spec_comment_plan_build(struct spec_comment_plan *plan, struct vmcfg_arena *arena,
			    const char *text, size_t len, const struct spec_line *lines, size_t n);

/*
 * The comments owned by owner (SPEC_COMMENT_HEAD, a line index or
 * SPEC_COMMENT_TAIL): *count entries of plan->order from the returned one.
 */
const size_t *vmcfg_spec_comments_of(const struct spec_comment_plan *plan, size_t owner, size_t *count);

/*
 * An emitter that writes comments: the VM file's (emit_toml.c) and the
 * system file's (emit_system.c). One walk over the input serves three
 * passes so that lines are numbered the same way in each: it counts the
 * output lines (w discards, lines NULL), then notes the source span of
 * each (lines set), then writes the text with the comments the plan gives
 * each line (plan set).
 */
struct spec_emitter {
	const struct vmcfg_writer *w;
	struct spec_line *lines; /* where each line comes from, in the noting pass */
	size_t line_cap;         /* room in lines (0 while counting or writing) */
	size_t line_count;       /* lines numbered so far */
	const struct spec_comment_plan *plan; /* NULL: no comments to write */
};

/*
 * Numbers the next output line, which stands for part of the value at span
 * (NULL or line 0: not in the source; it holds no comment). Returns its index.
 */
size_t vmcfg_spec_note_line(struct spec_emitter *e, const struct vmcfg_span *span,
			    enum spec_line_part part);

/* Whether owner has comments above it (trailing false) or at its end (trailing true). */
bool vmcfg_spec_has_comments(const struct spec_emitter *e, size_t owner, bool trailing);

/*
 * Writes the comments above owner's line, each on a line of its own at
 * indent, keeping the empty lines between them; after the file header
 * (SPEC_COMMENT_HEAD) an empty line when the source had one.
 */
void vmcfg_spec_put_leading(const struct spec_emitter *e, size_t owner, unsigned indent);

/* Writes the comment at the end of owner's line (at most one: one per source line). */
void vmcfg_spec_put_trailing(const struct spec_emitter *e, size_t owner);

/*
 * Runs walk three times (above) over ctx to write text's comments with
 * walk's output to w. Working memory from alloc. Returns 0 or
 * VMCFG_ENOMEM (nothing written).
 */
int vmcfg_spec_emit_commented(void (*walk)(struct spec_emitter *e, void *ctx), void *ctx,
			      const char *text, size_t len, const struct vmcfg_allocator *alloc,
			      const struct vmcfg_writer *w);

#endif /* VMCFG_LIB_SPEC_COMMENTS_H */
