/* SPDX-License-Identifier: MIT */
/*
 * The Linux guests' /init (PID 1 of the initramfs), static and without a
 * libc: raw Linux syscalls (include/uapi/asm-generic/unistd.h numbers, which
 * arm64 and riscv64 share; arm64: number in x8, arguments in x0-x5, svc #0,
 * result in x0; riscv64: number in a7, arguments in a0-a5, ecall, result in
 * a0).
 *
 * It prints the marker "vmcfg-linux: init of VM <vm> running", and when the
 * guest DT describes a static IVC channel (a /reserved-memory node of
 * compatible "vmcfg,ivc-channel", which `vmcfg dtb --system` writes where
 * the hypervisor maps it: docs/device-tree.md) — the one of key ivc_key=N
 * when the command line says so, else the first — it waits for the message
 * the bare-metal peer (guests/ivc-peer.c, which has the same layout)
 * writes into the channel, reads it and, when the channel is writable,
 * writes its answer into its slot (ivc_slot=N) through /dev/mem. Then it
 * powers the VM off — or, with reboot_once=1 on the command line, restarts
 * it (PSCI SYSTEM_RESET, SBI SRST: the hypervisor resets this VM alone) unless its
 * answer was in the channel already, which survives the reset, as the
 * peer and the other VMs run on.
 * With read_input=1 on the command line it first reads a line typed at its
 * console and prints it back ("vmcfg-linux: read \"LINE\" from the console").
 * Unknown "key=value" words of the kernel command line reach init as
 * environment variables (Documentation/admin-guide/kernel-parameters.rst).
 *
 * Root on a disk (make run-axvisor): Debian's kernel has virtio_mmio,
 * virtio_blk and ext4 as modules, so an initramfs holding /modules/order
 * (scripts/fetch-linux.sh writes it, dependencies first) and those modules
 * makes this init its first stage: it loads them (finit_module), waits for
 * the disk that vmcfg_root= names, mounts it read-only as ext4, moves it
 * to / and runs the disk's /init — this program again, as PID 1. There it
 * prints the marker, the root file system as /proc/mounts says, and the
 * file /vmcfg-disk.txt of the disk, then powers off as above.
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_mkdirat 34
#define SYS_chdir 49
#define SYS_chroot 51
#define SYS_openat 56
#define SYS_close 57
#define SYS_getdents64 61
#define SYS_read 63
#define SYS_write 64
#define SYS_reboot 142
#define SYS_mmap 222
#define SYS_mount 40
#define SYS_nanosleep 101
#define SYS_execve 221
#define SYS_finit_module 273
#define MS_RDONLY 1
#define MS_MOVE 8192
#define EEXIST 17

#define AT_FDCWD -100
#define O_RDONLY 0
#define O_RDWR 2
#define O_SYNC 04010000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_RESTART 0x01234567

/*
 * Layout of the channel: the registry's header at its start, the peer's
 * ready word (set once the message is complete), its message, then one
 * answer slot per Linux VM.
 */
#define READY_OFFSET 0x40
#define MESSAGE_OFFSET 0x80
#define MESSAGE_MAX 128
#define ANSWER_OFFSET 0x100 /* the answer of the VM in slot i: + i * MESSAGE_MAX */
#define WAIT_MS 30000       /* for the ready word: the peer writes at once, so seconds are plenty */

/* The kernel's view of the guest DT (sysfs; /proc/device-tree links to it). */
#define RESERVED "/sys/firmware/devicetree/base/reserved-memory"
#define PATH_MAX_LEN 160

/* A static channel as the guest DT describes it. */
struct channel {
	uint64_t gpa, size, key;
	char publisher[64];
	int read_only;
	char node[48];
};

#if defined(__riscv)
static long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}

/* Orders the accesses before it before those after it, for the other VMs. */
static inline void barrier(void)
{
	__asm__ volatile("fence rw, rw" : : : "memory");
}
#else
static long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

/* Orders the accesses before it before those after it, for the other VMs. */
static inline void barrier(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}
#endif

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(const char *s)
{
	syscall6(SYS_write, 1, (long)s, (long)len(s), 0, 0, 0);
}

/* The value of "key=" among the environment, or NULL. */
static const char *env(char **envp, const char *key)
{
	size_t k = len(key);

	for (; *envp; envp++) {
		size_t i = 0;

		while (i < k && (*envp)[i] == key[i])
			i++;
		if (i == k && (*envp)[k] == '=')
			return *envp + k + 1;
	}
	return NULL;
}

/* A decimal number; -1 when s is NULL, empty or not one. */
static long parse_dec(const char *s)
{
	long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* v as 0x… into buf (at least 19 bytes). */
static const char *hex(char *buf, uint64_t v)
{
	int n = 0;
	char digits[16];

	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[0] = '0';
	buf[1] = 'x';
	for (int i = 0; i < n; i++)
		buf[2 + i] = digits[n - 1 - i];
	buf[2 + n] = 0;
	return buf;
}

/* v in decimal into buf (at least 21 bytes). */
static const char *dec(char *buf, uint64_t v)
{
	char digits[20];
	int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = digits[--n];
	buf[i] = 0;
	return buf;
}

static void join(char *out, const char *a, const char *b, const char *c)
{
	size_t n = 0;

	for (const char *p = a; *p && n < PATH_MAX_LEN - 1; p++)
		out[n++] = *p;
	for (const char *p = b; *p && n < PATH_MAX_LEN - 1; p++)
		out[n++] = *p;
	for (const char *p = c; *p && n < PATH_MAX_LEN - 1; p++)
		out[n++] = *p;
	out[n] = 0;
}

/* Reads property prop of reserved-memory node `node` into buf; its length, or -1. */
static long read_prop(const char *node, const char *prop, void *buf, size_t max)
{
	char path[PATH_MAX_LEN], dir[PATH_MAX_LEN];
	long fd, n, got = 0;

	join(dir, RESERVED "/", node, "/");
	join(path, dir, prop, "");
	fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
	if (fd < 0)
		return -1;
	while ((size_t)got < max &&
	       (n = syscall6(SYS_read, fd, (long)buf + got, (long)(max - (size_t)got), 0, 0, 0)) > 0)
		got += n;
	syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	return got;
}

/* A big-endian 64-bit DT value (two cells). */
static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Fills *c from reserved-memory node `node` when it is a static IVC channel. */
static int read_channel(const char *node, struct channel *c)
{
	char compatible[32] = { 0 };
	unsigned char cells[16];
	long n;

	n = read_prop(node, "compatible", compatible, sizeof compatible - 1);
	if (n <= 0 || !same(compatible, "vmcfg,ivc-channel"))
		return 0;
	if (read_prop(node, "reg", cells, 16) != 16)
		return 0;
	c->gpa = be64(cells);
	c->size = be64(cells + 8);
	if (read_prop(node, "vmcfg,key", cells, 8) != 8)
		return 0;
	c->key = be64(cells);
	n = read_prop(node, "vmcfg,publisher", c->publisher, sizeof c->publisher - 1);
	c->publisher[n > 0 ? n : 0] = 0;
	c->read_only = read_prop(node, "vmcfg,read-only", cells, 0) >= 0;
	join(c->node, node, "", "");
	return 1;
}

/*
 * The static channel of key `key` (any key when -1; then the lowest
 * address) among the guest DT's reserved-memory nodes. 0 when none.
 */
static int find_channel(long key, struct channel *out)
{
	static char buf[4096] __attribute__((aligned(8)));
	long fd, n;
	int found = 0;

	fd = syscall6(SYS_openat, AT_FDCWD, (long)RESERVED, O_RDONLY, 0, 0, 0);
	if (fd < 0)
		return 0;
	while ((n = syscall6(SYS_getdents64, fd, (long)buf, sizeof buf, 0, 0, 0)) > 0) {
		/* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name. */
		for (long at = 0; at < n;) {
			const char *name = buf + at + 19;
			/* Little-endian, byte by byte: no alignment assumed (-Wcast-align on riscv64). */
			unsigned short reclen = (unsigned short)((unsigned char)buf[at + 16] |
								 (unsigned char)buf[at + 17] << 8);
			struct channel c;

			at += reclen;
			if (name[0] != 'i' || name[1] != 'v' || name[2] != 'c' || name[3] != '@' ||
			    !read_channel(name, &c))
				continue;
			if (key >= 0 ? c.key == (uint64_t)key : !found || c.gpa < out->gpa) {
				*out = c;
				found = 1;
			}
		}
	}
	syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	return found;
}

/* Volatile byte copies: the channel is device memory to us (/dev/mem maps non-RAM uncached). */
static void copy_in(char *dst, const volatile char *src, size_t max)
{
	size_t i = 0;

	for (; i + 1 < max && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

/* Whether the n bytes at ch are the string s and its terminator. */
static int holds(const volatile char *ch, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ch[i] != s[i])
			return 0;
	return 1;
}

/*
 * Reads the peer's message and answers it; returns 1 when the answer was
 * there before (written by this VM before a reset), else 0.
 */
static int exchange(const char *vm, const struct channel *c, unsigned index)
{
	char msg[MESSAGE_MAX];
	volatile char *ch;
	long fd, p;
	size_t i = 0;

	fd = syscall6(SYS_openat, AT_FDCWD, (long)"/dev/mem", O_RDWR | O_SYNC, 0, 0, 0);
	if (fd < 0) {
		put("vmcfg-linux: cannot open /dev/mem\n");
		return 0;
	}
	p = syscall6(SYS_mmap, 0, 4096, PROT_READ | (c->read_only ? 0 : PROT_WRITE), MAP_SHARED, fd,
		     (long)c->gpa);
	if (p < 0 && p > -4096) {
		put("vmcfg-linux: cannot map the IVC channel\n");
		return 0;
	}
	ch = (volatile char *)p;
	for (unsigned ms = 0; !*(volatile uint32_t *)(volatile void *)(ch + READY_OFFSET); ms += 10) {
		static const long ten_ms[2] = { 0, 10000000 };

		if (ms == WAIT_MS) {
			put("vmcfg-linux: no message in the IVC channel\n");
			return 0;
		}
		syscall6(SYS_nanosleep, (long)ten_ms, 0, 0, 0, 0, 0);
	}
	/* The ready word before the message, as the peer writes them in the other order. */
	barrier();
	copy_in(msg, ch + MESSAGE_OFFSET, sizeof msg);
	put("vmcfg-linux: ");
	put(vm);
	put(" read \"");
	put(msg);
	put("\"\n");
	if (c->read_only) {
		put("vmcfg-linux: the channel is read-only to this VM: no answer\n");
		return 0;
	}
	/* The answer: "<vm> got it", in this VM's slot. */
	for (const char *s = vm; *s && i < MESSAGE_MAX - 8; s++)
		msg[i++] = *s;
	for (const char *s = " got it"; *s; s++)
		msg[i++] = *s;
	msg[i++] = 0;
	ch += ANSWER_OFFSET + index * MESSAGE_MAX;
	if (holds(ch, msg, i)) {
		put("vmcfg-linux: ");
		put(vm);
		put(" had answered before a reset\n");
		return 1;
	}
	for (size_t k = 0; k < i; k++)
		ch[k] = msg[k];
	put("vmcfg-linux: ");
	put(vm);
	put(" answered\n");
	return 0;
}

/* Up to max - 1 bytes of the file at path, NUL-terminated; the length, or < 0. */
static long read_file(const char *path, char *buf, size_t max)
{
	long fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0), got = 0, n;

	if (fd < 0)
		return fd;
	while ((size_t)got < max - 1 &&
	       (n = syscall6(SYS_read, fd, (long)buf + got, (long)(max - 1 - (size_t)got), 0, 0, 0)) > 0)
		got += n;
	syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
	buf[got] = 0;
	return got;
}

static void sleep_ms(long ms)
{
	long ts[2] = { ms / 1000, ms % 1000 * 1000000 };

	syscall6(SYS_nanosleep, (long)ts, 0, 0, 0, 0, 0);
}

static void fail(const char *what, const char *name, long err)
{
	char a[24];

	put("vmcfg-linux: ");
	put(what);
	put(name);
	put(": error -");
	put(dec(a, (uint64_t)-err));
	put("\n");
}

/*
 * The first stage of a root on a disk (see the top): loads the modules of
 * /modules/order, mounts root (ext4, read-only) and runs its /init with
 * the same arguments and environment. Returns only when that failed.
 */
static void switch_to_disk(const char *root, char **argv, char **envp)
{
	static char order[1024];
	char path[PATH_MAX_LEN];
	long err = read_file("/modules/order", order, sizeof order);

	for (char *p = order; err >= 0 && *p;) {
		char *name = p;
		long fd;

		while (*p && *p != '\n')
			p++;
		if (*p)
			*p++ = 0;
		if (!*name)
			continue;
		join(path, "/modules/", name, "");
		fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0);
		err = fd < 0 ? fd : syscall6(SYS_finit_module, fd, (long)"", 0, 0, 0, 0);
		if (fd >= 0)
			syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
		if (err == -EEXIST)
			err = 0; /* built in after all */
		if (err < 0)
			fail("loading /modules/", name, err);
	}
	if (err < 0)
		return;
	/* virtio_blk probes the disk asynchronously: its node appears in devtmpfs when it is ready. */
	for (int i = 0; i < 500; i++) {
		long fd = syscall6(SYS_openat, AT_FDCWD, (long)root, O_RDONLY, 0, 0, 0);

		if (fd >= 0) {
			syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
			break;
		}
		sleep_ms(20);
	}
	syscall6(SYS_mkdirat, AT_FDCWD, (long)"/root", 0755, 0, 0, 0);
	err = syscall6(SYS_mount, (long)root, (long)"/root", (long)"ext4", MS_RDONLY, 0, 0);
	if (err < 0) {
		fail("mounting ", root, err);
		return;
	}
	put("vmcfg-linux: modules loaded, ");
	put(root);
	put(" mounted: switching to its /init\n");
	if ((err = syscall6(SYS_chdir, (long)"/root", 0, 0, 0, 0, 0)) < 0 ||
	    (err = syscall6(SYS_mount, (long)".", (long)"/", 0, MS_MOVE, 0, 0)) < 0 ||
	    (err = syscall6(SYS_chroot, (long)".", 0, 0, 0, 0, 0)) < 0 ||
	    (err = syscall6(SYS_chdir, (long)"/", 0, 0, 0, 0, 0)) < 0 ||
	    (err = syscall6(SYS_execve, (long)"/init", (long)argv, (long)envp, 0, 0, 0)) < 0)
		fail("switching to ", root, err);
}

/* On the disk: the root file system as the kernel has it mounted, and the disk's file. */
static void report_disk(void)
{
	static char buf[4096];
	char *line = buf;

	syscall6(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0, 0);
	if (read_file("/proc/mounts", buf, sizeof buf) > 0) {
		/* "DEVICE / TYPE OPTIONS 0 0": the line of "/" (the last one wins, as for the kernel). */
		char *found = 0;

		while (*line) {
			char *end = line, *f2 = 0;

			while (*end && *end != '\n')
				end++;
			for (char *q = line; q < end; q++)
				if (*q == ' ') {
					f2 = q + 1;
					break;
				}
			if (f2 && f2[0] == '/' && f2[1] == ' ')
				found = line;
			line = *end ? end + 1 : end;
		}
		if (found) {
			char *q = found;
			int spaces = 0;

			while (*q && *q != '\n' && !(*q == ' ' && ++spaces == 3))
				q++;
			*q = 0;
			put("vmcfg-linux: root file system: ");
			put(found);
			put("\n");
		}
	}
	if (read_file("/vmcfg-disk.txt", buf, 256) > 0) {
		for (char *q = buf; *q; q++)
			if (*q == '\n')
				*q = 0;
		put("vmcfg-linux: read \"");
		put(buf);
		put("\" from its root disk\n");
	}
}

/*
 * read_input=1: one line typed at the console (fd 0, /dev/console: the
 * tty's line discipline returns it at the newline), echoed back quoted.
 */
static void read_line(void)
{
	char line[64];
	long got = 0, n;

	put("vmcfg-linux: type a line\n");
	while ((size_t)got < sizeof line - 1 &&
	       (n = syscall6(SYS_read, 0, (long)line + got, (long)(sizeof line - 1 - (size_t)got), 0,
			     0, 0)) > 0) {
		got += n;
		if (line[got - 1] == '\n')
			break;
	}
	line[got] = 0;
	for (char *q = line; *q; q++)
		if (*q == '\n')
			*q = 0;
	put("vmcfg-linux: read \"");
	put(line);
	put("\" from the console\n");
}

/* Called by _start below with the initial stack pointer. */
__attribute__((noreturn, used)) void init_main(long *sp);

void init_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = (char **)(sp + argc + 2);
	const char *vm = env(envp, "vm"), *root = env(envp, "vmcfg_root");
	char probe[8];
	long slot = parse_dec(env(envp, "ivc_slot")), key = parse_dec(env(envp, "ivc_key"));
	int reboot_once = parse_dec(env(envp, "reboot_once")) == 1, answered_before = 0;
	struct channel c;
	int found;
	char a[24], b[24];

	if (!vm)
		vm = "?";
	/* devtmpfs gives /dev/mem, sysfs the device tree; the initramfs has /dev/console only. */
	syscall6(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0);
	if (root && read_file("/modules/order", probe, sizeof probe) > 0)
		switch_to_disk(root, argv, envp); /* returns only when it failed, said why */
	syscall6(SYS_mkdirat, AT_FDCWD, (long)"/sys", 0555, 0, 0, 0);
	syscall6(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0, 0);
	put("vmcfg-linux: init of VM ");
	put(vm);
	put(" running\n");
	if (root)
		report_disk();
	if (parse_dec(env(envp, "read_input")) == 1)
		read_line();
	found = find_channel(key, &c);
	if (!found && key >= 0) {
		put("vmcfg-linux: no static IVC channel of key ");
		put(dec(a, (uint64_t)key));
		put(" in the device tree\n");
	} else if (found) {
		put("vmcfg-linux: ");
		put(vm);
		put(": static IVC channel ");
		put(dec(a, c.key));
		put(" of '");
		put(c.publisher);
		put("' at ");
		put(hex(a, c.gpa));
		put(", ");
		put(hex(b, c.size));
		put(c.read_only ? " bytes, ro" : " bytes, rw");
		put(" (device tree: reserved-memory/");
		put(c.node);
		put(")\n");
		answered_before = exchange(vm, &c, slot == 1 ? 1 : 0);
	}
	if (reboot_once && !answered_before) {
		put("vmcfg-linux: ");
		put(vm);
		put(" restarts its VM (reboot_once=1)\n");
		syscall6(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			 LINUX_REBOOT_CMD_RESTART, 0, 0, 0);
	}
	syscall6(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF,
		 0, 0, 0);
	for (;;)
		;
}

/* The kernel enters with sp at argc, argv..., NULL, envp..., NULL. */
#if defined(__riscv)
/* gp is the ABI's global pointer: set it before any C (there is no libc to do it). */
__asm__(".global _start\n"
	"_start:\n"
	"	.option push\n"
	"	.option norelax\n"
	"	la gp, __global_pointer$\n"
	"	.option pop\n"
	"	mv a0, sp\n"
	"	call init_main\n");
#else
__asm__(".global _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl init_main\n");
#endif
