/*
 * The Linux guests' /init (PID 1 of the initramfs), static and without a
 * libc: raw Linux syscalls (arm64: number in x8, arguments in x0-x5, svc #0,
 * result in x0; include/uapi/asm-generic/unistd.h numbers).
 *
 * It prints the marker "vmcfg-linux: init of VM <vm> running", and when the
 * kernel command line says ivc=ADDR (a static IVC channel's guest-physical
 * address, inside the IVC window the guest DT reserves as no-map
 * /reserved-memory), it waits for the message the bare-metal peer
 * (guests/ivc-peer.c, which has the same layout) writes into the channel,
 * reads it and writes its answer into its slot (ivc_slot=N) through
 * /dev/mem. Then it powers the VM off.
 * Unknown "key=value" words of the kernel command line reach init as
 * environment variables (Documentation/admin-guide/kernel-parameters.rst).
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_openat 56
#define SYS_write 64
#define SYS_reboot 142
#define SYS_mmap 222
#define SYS_mount 40
#define SYS_nanosleep 101

#define AT_FDCWD -100
#define O_RDWR 2
#define O_SYNC 04010000
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

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

/* A hexadecimal number with 0x prefix; 0 when it is not one. */
static uint64_t parse_hex(const char *s)
{
	uint64_t v = 0;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return 0;
	for (s += 2; *s; s++) {
		unsigned d = *s >= '0' && *s <= '9'   ? (unsigned)(*s - '0')
			     : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10)
			     : *s >= 'A' && *s <= 'F' ? (unsigned)(*s - 'A' + 10)
						      : 16;
		if (d == 16)
			return 0;
		v = v << 4 | d;
	}
	return v;
}

/* Volatile byte copies: the channel is device memory to us (/dev/mem maps non-RAM uncached). */
static void copy_in(char *dst, const volatile char *src, size_t max)
{
	size_t i = 0;

	for (; i + 1 < max && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static void exchange(const char *vm, uint64_t ivc, unsigned index)
{
	char msg[MESSAGE_MAX];
	volatile char *ch;
	long fd, p;
	size_t i = 0;

	fd = syscall6(SYS_openat, AT_FDCWD, (long)"/dev/mem", O_RDWR | O_SYNC, 0, 0, 0);
	if (fd < 0) {
		put("vmcfg-linux: cannot open /dev/mem\n");
		return;
	}
	p = syscall6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (long)ivc);
	if (p < 0 && p > -4096) {
		put("vmcfg-linux: cannot map the IVC channel\n");
		return;
	}
	ch = (volatile char *)p;
	for (unsigned ms = 0; !*(volatile uint32_t *)(ch + READY_OFFSET); ms += 10) {
		static const long ten_ms[2] = { 0, 10000000 };

		if (ms == WAIT_MS) {
			put("vmcfg-linux: no message in the IVC channel\n");
			return;
		}
		syscall6(SYS_nanosleep, (long)ten_ms, 0, 0, 0, 0, 0);
	}
	/* The ready word before the message, as the peer writes them in the other order. */
	__asm__ volatile("dmb ish" : : : "memory");
	copy_in(msg, ch + MESSAGE_OFFSET, sizeof msg);
	put("vmcfg-linux: ");
	put(vm);
	put(" read \"");
	put(msg);
	put("\"\n");
	/* The answer: "<vm> got it", in this VM's slot. */
	ch += ANSWER_OFFSET + index * MESSAGE_MAX;
	for (const char *s = vm; *s && i < MESSAGE_MAX - 8; s++)
		ch[i++] = *s;
	for (const char *s = " got it"; *s; s++)
		ch[i++] = *s;
	ch[i] = 0;
	put("vmcfg-linux: ");
	put(vm);
	put(" answered\n");
}

/* Called by _start below with the initial stack pointer. */
__attribute__((noreturn, used)) void init_main(long *sp);

void init_main(long *sp)
{
	long argc = sp[0];
	char **envp = (char **)(sp + argc + 2);
	const char *vm = env(envp, "vm");
	const char *slot = env(envp, "ivc_slot");

	if (!vm)
		vm = "?";
	/* devtmpfs gives /dev/mem; the initramfs has /dev/console only. */
	syscall6(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0);
	put("vmcfg-linux: init of VM ");
	put(vm);
	put(" running\n");
	if (parse_hex(env(envp, "ivc")))
		exchange(vm, parse_hex(env(envp, "ivc")), slot && *slot == '1' ? 1 : 0);
	syscall6(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF,
		 0, 0, 0);
	for (;;)
		;
}

/* The kernel enters with sp at argc, argv..., NULL, envp..., NULL. */
__asm__(".global _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl init_main\n");
