/* SPDX-License-Identifier: MIT */
/* The key path at a cursor in a TOML text: a tolerant scan (lsp_cursor.h). */
#include <string.h>

#include "lsp_cursor.h"

#define MAX_FRAMES 16

struct frame {
	bool array;    /* else an inline table */
	size_t index;  /* arrays: the element being read */
	struct vmcfg_key_step keys[8]; /* the key whose value the frame is */
	size_t nkeys;
};

struct scan {
	struct vmcfg_key_step header[8];
	size_t nheader;
	struct frame frames[MAX_FRAMES];
	size_t nframes;
	struct vmcfg_key_step key[8]; /* the (dotted) key being read or whose value follows */
	size_t nkey;
	enum { EXPECT_KEY, EXPECT_VALUE, AFTER_VALUE } mode;
};

static bool bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

static void add_step(struct vmcfg_key_step *steps, size_t *n, size_t max, const char *name, size_t len)
{
	if (*n < max)
		steps[(*n)++] = (struct vmcfg_key_step){ name, len, 0 };
}

/* The end of the string literal starting at p (a quote), or end. */
static size_t skip_string(const char *t, size_t p, size_t end)
{
	char q = t[p];
	bool triple = p + 2 < end && t[p + 1] == q && t[p + 2] == q;
	p += triple ? 3 : 1;
	while (p < end) {
		if (q == '"' && t[p] == '\\') {
			p += 2;
			continue;
		}
		if (!triple && t[p] == '\n')
			return p;
		if (t[p] == q) {
			if (!triple)
				return p + 1;
			if (p + 2 < end && t[p + 1] == q && t[p + 2] == q)
				return p + 3;
		}
		p++;
	}
	return end;
}

/* Reads a header "[a.b]" / "[[a.b]]" at p; returns the offset after it. */
static size_t read_header(struct scan *s, const char *t, size_t p, size_t end)
{
	s->nheader = 0;
	while (p < end && t[p] == '[')
		p++;
	while (p < end && t[p] != ']' && t[p] != '\n') {
		if (bare(t[p])) {
			size_t b = p;
			while (p < end && bare(t[p]))
				p++;
			add_step(s->header, &s->nheader, 8, t + b, p - b);
		} else if (t[p] == '"' || t[p] == '\'') {
			size_t e = skip_string(t, p, end);
			add_step(s->header, &s->nheader, 8, t + p + 1, e > p + 1 ? e - p - 2 : 0);
			p = e;
		} else {
			p++;
		}
	}
	while (p < end && t[p] == ']')
		p++;
	return p;
}

/* Appends the path of the current position (header, frames, pending key) to c. */
static void build_path(const struct scan *s, struct vmcfg_lsp_cursor *c, bool with_key)
{
	c->depth = 0;
	for (size_t i = 0; i < s->nheader; i++)
		add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, s->header[i].name, s->header[i].len);
	for (size_t f = 0; f < s->nframes; f++) {
		for (size_t i = 0; i < s->frames[f].nkeys; i++)
			add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, s->frames[f].keys[i].name,
				 s->frames[f].keys[i].len);
		if (s->frames[f].array && c->depth < VMCFG_LSP_MAX_STEPS)
			c->path[c->depth++] = (struct vmcfg_key_step){ NULL, 0, s->frames[f].index };
	}
	for (size_t i = 0; with_key && i < s->nkey; i++)
		add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, s->key[i].name, s->key[i].len);
}

void vmcfg_lsp_cursor_find(const char *t, size_t len, size_t at, struct vmcfg_lsp_cursor *c)
{
	struct scan s = { .mode = EXPECT_KEY };
	memset(c, 0, sizeof *c);
	if (at > len)
		at = len;
	/* The word under the cursor: a bare key, a number or a name. */
	size_t ws = at, we = at;
	while (ws > 0 && bare(t[ws - 1]))
		ws--;
	while (we < len && bare(t[we]))
		we++;
	c->word_start = ws;
	c->word_end = we;

	size_t p = 0;
	while (p < ws) {
		char ch = t[p];
		if (ch == '#') {
			while (p < len && t[p] != '\n')
				p++;
			continue;
		}
		if (ch == '\n') {
			if (!s.nframes) {
				s.mode = EXPECT_KEY;
				s.nkey = 0;
			}
			p++;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			p++;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			size_t e = skip_string(t, p, len);
			if (e > at || (e == len && at == len)) { /* the cursor is inside this string */
				if (s.mode == EXPECT_VALUE && ch == '"') {
					build_path(&s, c, true);
					c->str = t + p + 1;
					c->str_start = p;
					c->str_end = e;
					c->str_len = e > p + 1 && t[e - 1] == '"' && e - 1 > p ? e - p - 2 : e - p - 1;
					c->at_value = true;
				}
				return;
			}
			if (s.mode == EXPECT_KEY) {
				add_step(s.key, &s.nkey, 8, t + p + 1, e > p + 1 ? e - p - 2 : 0);
			} else {
				s.mode = AFTER_VALUE;
			}
			p = e;
			continue;
		}
		if (s.mode == EXPECT_KEY && !s.nframes && !s.nkey && ch == '[') {
			/* A table header; the cursor may be inside it. */
			size_t e = read_header(&s, t, p, len);
			if (e >= at && p < at) {
				/* Keep the parts up to the word under the cursor. */
				size_t keep = 0;
				while (keep < s.nheader && s.header[keep].name < t + ws)
					keep++;
				s.nheader = keep;
				c->depth = 0;
				for (size_t i = 0; i < s.nheader; i++)
					add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, s.header[i].name,
						 s.header[i].len);
				if (we > ws) {
					add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, t + ws, we - ws);
					c->on_key = true;
				} else {
					c->at_key = true;
				}
				return;
			}
			p = e;
			continue;
		}
		switch (s.mode) {
		case EXPECT_KEY:
			if (bare(ch)) {
				size_t b = p;
				while (p < ws && bare(t[p]))
					p++;
				add_step(s.key, &s.nkey, 8, t + b, p - b);
				continue;
			}
			if (ch == '=')
				s.mode = EXPECT_VALUE;
			else if (ch == '}' && s.nframes && !s.frames[s.nframes - 1].array) {
				s.nframes--;
				s.mode = AFTER_VALUE;
				s.nkey = 0;
			}
			p++; /* '.', ',' or stray characters */
			continue;
		case EXPECT_VALUE:
		case AFTER_VALUE:
			if ((ch == '[' || ch == '{') && s.mode == EXPECT_VALUE) {
				if (s.nframes == MAX_FRAMES)
					return;
				struct frame *f = &s.frames[s.nframes++];
				memset(f, 0, sizeof *f);
				f->array = ch == '[';
				/* The frame belongs to the key just written (not to an array element). */
				bool keyed = !s.nframes || s.nframes == 1 || !s.frames[s.nframes - 2].array;
				if (keyed) {
					memcpy(f->keys, s.key, s.nkey * sizeof s.key[0]);
					f->nkeys = s.nkey;
				}
				s.nkey = 0;
				s.mode = f->array ? EXPECT_VALUE : EXPECT_KEY;
				p++;
				continue;
			}
			if (ch == ',' && s.nframes) {
				struct frame *f = &s.frames[s.nframes - 1];
				if (f->array) {
					f->index++;
					s.mode = EXPECT_VALUE;
				} else {
					s.mode = EXPECT_KEY;
					s.nkey = 0;
				}
				p++;
				continue;
			}
			if ((ch == ']' || ch == '}') && s.nframes) {
				s.nframes--;
				s.mode = AFTER_VALUE;
				s.nkey = 0;
				p++;
				continue;
			}
			/* A scalar: numbers, booleans, dates. */
			while (p < ws && !strchr(",]}#\n \t", t[p]))
				p++;
			if (p == ws)
				break;
			s.mode = AFTER_VALUE;
			continue;
		}
		if (p == ws)
			break;
	}
	/* The cursor's word begins at ws. */
	if (s.mode == EXPECT_KEY) {
		/* Is the word a key (followed by '=' or '.') or being typed? */
		build_path(&s, c, true);
		if (we > ws) {
			add_step(c->path, &c->depth, VMCFG_LSP_MAX_STEPS, t + ws, we - ws);
			c->on_key = true;
			/* completion of the key being typed: the table's keys */
			c->at_key = true;
		} else {
			c->at_key = true;
		}
		return;
	}
	if (s.mode == EXPECT_VALUE) {
		/* In an array the value is the element; after "key =" it is the key's. */
		build_path(&s, c, !s.nframes || !s.frames[s.nframes - 1].array);
		c->at_value = true;
	}
}
