/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/base.h — what every vmcfg module shares: error codes, source spans,
 * the embedder's allocator, an arena on top of it, and a tiny formatter.
 *
 * Freestanding: this header needs only <stddef.h>, <stdint.h>, <stdbool.h>
 * and <stdarg.h>. The core library calls no libc function other than
 * memcpy, memmove, memset, memcmp and strlen, which the embedder supplies.
 */
#ifndef VMCFG_BASE_H
#define VMCFG_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMCFG_VERSION "0.1.0" /* checked against the top-level VERSION file by make */

/*
 * Every public header wraps its declarations in these: C linkage for C++,
 * and default visibility, so they alone are exported from libvmcfg.so (the
 * library is compiled with -fvisibility=hidden; tests/namespace checks it).
 */
#ifdef __cplusplus
#define VMCFG_BEGIN_DECLS extern "C" { _Pragma("GCC visibility push(default)")
#define VMCFG_END_DECLS _Pragma("GCC visibility pop") }
#else
#define VMCFG_BEGIN_DECLS _Pragma("GCC visibility push(default)")
#define VMCFG_END_DECLS _Pragma("GCC visibility pop")
#endif

VMCFG_BEGIN_DECLS

/*
 * Error codes. Every function that can fail returns 0 or one of these
 * (always negative). vmcfg_strerror() names them.
 */
enum {
	VMCFG_OK = 0,
	VMCFG_ENOMEM = -1,    /* the allocator (or a HAL) returned no memory */
	VMCFG_EINVAL = -2,    /* an argument breaks the function's contract */
	VMCFG_ESYNTAX = -3,   /* the input text is not valid (e.g. TOML syntax) */
	VMCFG_ELIMIT = -4,    /* the input exceeds a documented limit */
	VMCFG_ENOENT = -5,    /* no such key, entry, file or device */
	VMCFG_ETYPE = -6,     /* a value has the wrong type */
	VMCFG_ERANGE = -7,    /* a value is out of its range */
	VMCFG_EEXIST = -8,    /* already present (duplicate key, id, mapping) */
	VMCFG_EOVERLAP = -9,  /* two ranges overlap */
	VMCFG_EALIGN = -10,   /* an address or size is not aligned as required */
	VMCFG_EBUSY = -11,    /* the resource is owned or in use by someone else */
	VMCFG_EFAULT = -12,   /* an address is not mapped / not accessible */
	VMCFG_EPERM = -13,    /* not permitted (access control) */
	VMCFG_ENOSPC = -14,   /* no room left (window, quota, table) */
	VMCFG_ESTATE = -15,   /* the object is in the wrong state for this */
	VMCFG_ENOSYS = -16,   /* not supported by this build */
	VMCFG_EIO = -17,      /* a host I/O operation failed (host tools only) */
	VMCFG_EINVALID = -18, /* the configuration has error-severity findings */
	VMCFG_ERROR_MAX = 18
};

/* A static English name for an error code ("out of memory"); never NULL. */
const char *vmcfg_strerror(int err);

/*
 * A place in a source text. offset and length are in bytes; line and col
 * are 1-based, col counts Unicode code points from the start of the line
 * (a tab is one column). A span with line 0 means "no location".
 * Inputs are limited to less than 4 GiB, so 32 bits suffice.
 */
struct vmcfg_span {
	uint32_t offset;
	uint32_t length;
	uint32_t line;
	uint32_t col;
};

/*
 * The embedder's allocator, with the contract of lua_Alloc:
 *   nsize == 0: free ptr (which may be NULL) and return NULL;
 *   ptr == NULL: allocate nsize bytes, aligned for any type (>= 16 bytes);
 *   otherwise: resize ptr from osize to nsize bytes, like realloc.
 * It returns NULL on failure and must then leave ptr untouched.
 * osize is the size the block was allocated with (0 when ptr is NULL).
 */
typedef void *(*vmcfg_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

struct vmcfg_allocator {
	vmcfg_alloc_fn fn;
	void *ud;
};

/*
 * An arena: bump allocation from chunks obtained from an allocator, all
 * freed at once. Nothing is freed individually. Not thread-safe.
 *
 * For an embedder that handles many documents one after the other (a
 * language server, a check of many VM files), vmcfg_arena_reset empties
 * the arena but keeps its chunks, which the next allocations reuse: the
 * memory is obtained (and, on a host, faulted in) once rather than for
 * every document.
 */
struct vmcfg_arena_chunk;
struct vmcfg_arena {
	struct vmcfg_allocator alloc;
	struct vmcfg_arena_chunk *head;  /* newest chunk */
	size_t chunk_size;               /* default size of a new chunk */
	size_t bytes;                    /* bytes obtained from the allocator (held, spare included) */
	struct vmcfg_arena_chunk *spare; /* chunks emptied by vmcfg_arena_reset, for reuse */
};

/*
 * Prepares an empty arena. chunk_size 0 picks a default (64 KiB). Requests
 * larger than a chunk get a chunk of their own. Allocates nothing yet.
 */
void vmcfg_arena_init(struct vmcfg_arena *arena, const struct vmcfg_allocator *alloc,
		      size_t chunk_size);

/*
 * Returns size bytes aligned to align (a power of two, at most 16), not
 * zeroed; NULL when the allocator fails or size overflows.
 */
void *vmcfg_arena_alloc(struct vmcfg_arena *arena, size_t size, size_t align);

/* Like vmcfg_arena_alloc, and zeroes the memory. */
void *vmcfg_arena_zalloc(struct vmcfg_arena *arena, size_t size, size_t align);

/* Copies len bytes of s into the arena and adds a NUL; NULL on failure. */
char *vmcfg_arena_strndup(struct vmcfg_arena *arena, const char *s, size_t len);

/*
 * Lends the unused rest of the newest chunk as [*next, *end) (both NULL
 * when the arena has no chunk yet), so that a caller allocating many small
 * objects can bump a pointer inline instead of calling vmcfg_arena_alloc
 * for each. The lent bytes count as used until vmcfg_arena_unlend gives
 * back what is left; in between, the only calls allowed on the arena are
 * vmcfg_arena_unlend and (after it) anything else. Cannot fail.
 */
void vmcfg_arena_lend(struct vmcfg_arena *arena, char **next, char **end);

/*
 * Gives back the lent bytes from next on (next as the caller advanced it,
 * within the last lend; NULL: nothing was lent). Cannot fail.
 */
void vmcfg_arena_unlend(struct vmcfg_arena *arena, char *next);

/* Returns every chunk to the allocator; the arena is empty and reusable. */
void vmcfg_arena_release(struct vmcfg_arena *arena);

/*
 * Empties the arena but keeps its chunks: everything allocated from it is
 * gone, and later allocations reuse the chunks (a chunk at least as large
 * as a request) before asking the allocator for more. bytes is unchanged;
 * vmcfg_arena_release still frees everything. Cannot fail.
 */
void vmcfg_arena_reset(struct vmcfg_arena *arena);

/*
 * Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the full output would have, like snprintf. Supported: %s %.*s %c
 * %% %d %i %u %x %X %p, the length modifiers l, ll, z, the flags '0', '-'
 * and '#', and a field width (a number or '*'). No floating point.
 */
size_t vmcfg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t vmcfg_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Room for any vmcfg_fmt_* result, NUL included. */
#define VMCFG_FMT_BUF 32

/* Writes v as hex with '_' between groups of 4 digits ("0x8000_0000"); returns buf. */
char *vmcfg_fmt_hex(char buf[VMCFG_FMT_BUF], uint64_t v);

/*
 * Writes a size for people, always exact: in the largest binary unit when
 * the value is whole or exact to one decimal there ("4 KiB", "1.5 GiB"),
 * else in the largest unit it is whole in ("3413 MiB", "4097 B"); returns buf.
 */
char *vmcfg_fmt_size(char buf[VMCFG_FMT_BUF], uint64_t v);

/*
 * The page granule: frames of every HAL, pages of every page-table format,
 * and the alignment the checker asks of guest memory (4 KiB).
 */
#define VMCFG_PAGE_SHIFT 12
#define VMCFG_PAGE_SIZE (1ull << VMCFG_PAGE_SHIFT)

/*
 * Memory mapping flags, bit for bit the `flags` of a memory region in the
 * config format (CONFIG-SPEC Part 1); shared by every stage from decode to
 * the page tables. Any other bit is an error everywhere.
 */
#define VMCFG_MEM_READ 0x01u
#define VMCFG_MEM_WRITE 0x02u
#define VMCFG_MEM_EXECUTE 0x04u
#define VMCFG_MEM_USER 0x08u     /* no meaning at stage 2; carried so it reads back */
#define VMCFG_MEM_DEVICE 0x10u   /* device memory (strongly ordered, uncached) */
#define VMCFG_MEM_UNCACHED 0x20u /* normal memory, not cached */
#define VMCFG_MEM_ALL 0x3fu

/*
 * Output sink for emitters (TOML, JSON, reports): called with successive
 * pieces of text. Emitters write in small pieces and never fail on their own.
 */
struct vmcfg_writer {
	void (*write)(void *ud, const char *s, size_t len);
	void *ud;
};

/* Writes len bytes of s to w. */
static inline void vmcfg_write(const struct vmcfg_writer *w, const char *s, size_t len)
{
	w->write(w->ud, s, len);
}

/* Checked arithmetic: returns false (and leaves *out unspecified) on wrap. */
static inline bool vmcfg_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}
static inline bool vmcfg_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

VMCFG_END_DECLS

#endif /* VMCFG_BASE_H */
