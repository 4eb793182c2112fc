/* SPDX-License-Identifier: MIT */
/*
 * Emulated consoles: the register subsets of an Arm PL011 and of a 16550
 * UART that a guest's early console and a polled driver use. Transmit is
 * always ready (bytes go straight to the embedder's sink); receive reads
 * from a small FIFO the embedder fills (vmcfg_vm_console_input). Interrupt
 * status is kept in the registers (PL011 RIS/MIS, 16550 IIR) but no
 * interrupt is raised: injecting one is the interrupt controller's job
 * (vmcfg_vm_console_irq gives it the line).
 * Registers outside the subset read as zero and ignore writes, as
 * reserved registers of the real parts do.
 */
#include "internal.h"
#include "../base/libc.h"

#define FIFO_SIZE 16

enum console_model { CONSOLE_PL011 = 1, CONSOLE_16550_MMIO = 2, CONSOLE_16550_PIO = 3 };

struct vmcfg_vm_console {
	struct vmcfg_vm *vm;
	struct vmcfg_vm_console *next;
	enum console_model model;
	char fifo[FIFO_SIZE];
	unsigned head, count;
	/* PL011 */
	uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr, ilpr;
	/* 16550 */
	uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
	/*
	 * The transmitter-empty interrupt is pending (16550 datasheet, IIR):
	 * set when THRI is enabled and after each THR write (transmit is
	 * instant, so THR is empty again at once), cleared by an IIR read that
	 * reports it and by a THR write.
	 */
	bool thre_ip;
	/* PL011 read shadow (opts.console_read_shadow): the page guests read, or NULL */
	uint32_t *shadow;
	/*
	 * Its frame (0: none) and guest address. The frame is the console's,
	 * not the address space's: it outlives an unshadow, since a vCPU may
	 * read it through a stale TLB entry until the embedder's invalidation,
	 * and is freed with the VM (vmcfg_vm_console_release).
	 */
	uint64_t shadow_pa, shadow_gpa;
};

static void pl011_shadow_refresh(struct vmcfg_vm_console *c);

/* Power-on state of either model: every register and the receive FIFO cleared. */
static void console_reset(void *dev)
{
	struct vmcfg_vm_console *c = dev;
	struct vmcfg_vm *vm = c->vm;
	struct vmcfg_vm_console *next = c->next;
	enum console_model model = c->model;
	uint32_t *shadow = c->shadow;
	uint64_t shadow_pa = c->shadow_pa, shadow_gpa = c->shadow_gpa;
	memset(c, 0, sizeof *c);
	c->vm = vm;
	c->next = next;
	c->model = model;
	c->shadow = shadow;
	c->shadow_pa = shadow_pa;
	c->shadow_gpa = shadow_gpa;
	pl011_shadow_refresh(c);
}

static void transmit(struct vmcfg_vm_console *c, uint64_t value)
{
	char ch = (char)(value & 0xff);
	if (c->vm->console)
		c->vm->console(c->vm->console_ud, c->vm, &ch, 1);
}

/* The next received byte, or 0 when the FIFO is empty. */
static uint8_t receive(struct vmcfg_vm_console *c)
{
	if (!c->count)
		return 0;
	uint8_t ch = (uint8_t)c->fifo[c->head];
	c->head = (c->head + 1) % FIFO_SIZE;
	c->count--;
	return ch;
}

size_t vmcfg_vm_console_push(struct vmcfg_vm_console *c, const char *s, size_t len)
{
	size_t n = 0;
	for (; n < len && c->count < FIFO_SIZE; n++, c->count++)
		c->fifo[(c->head + c->count) % FIFO_SIZE] = s[n];
	return n;
}

/* The console input goes to: the first declared (the list is built newest first), or NULL. */
static struct vmcfg_vm_console *input_console(const struct vmcfg_vm *vm)
{
	struct vmcfg_vm_console *c = vm->consoles;
	while (c && c->next)
		c = c->next;
	return c;
}

int vmcfg_vm_console_input(struct vmcfg_vm *vm, const char *s, size_t len)
{
	struct vmcfg_vm_console *c = input_console(vm);
	if (!c)
		return VMCFG_ENOENT;
	if (c->shadow)
		return VMCFG_EBUSY; /* its DR reads do not trap: nothing would drain the FIFO */
	size_t n = vmcfg_vm_console_push(c, s, len);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int vmcfg_vm_console_unshadow(struct vmcfg_vm *vm, uint64_t *gpa)
{
	struct vmcfg_vm_console *c = input_console(vm);
	if (!c || !c->shadow)
		return VMCFG_ENOENT;
	/* A leaf the aspace does not own: the frame stays; tables left empty go. */
	int err = vmcfg_aspace_unmap(&vm->aspace, c->shadow_gpa, VMCFG_PAGE_SIZE);
	if (err)
		return err;
	c->shadow = NULL;
	for (size_t i = 0; i < vm->device_count; i++)
		if (vm->devices[i].base == c->shadow_gpa)
			vm->devices[i].read_shadow = false;
	*gpa = c->shadow_gpa;
	return 0;
}

void vmcfg_vm_console_release(struct vmcfg_vm *vm)
{
	for (struct vmcfg_vm_console *c = vm->consoles; c; c = c->next)
		if (c->shadow_pa) {
			vm->aspace.hal.free_frames(vm->aspace.hal.ctx, c->shadow_pa, 1);
			c->shadow_pa = 0;
		}
}

static bool console_line(const struct vmcfg_vm_console *c);

int vmcfg_vm_console_irq(const struct vmcfg_vm *vm, uint64_t base, bool *line)
{
	static const enum vmcfg_vm_bus_space spaces[] = { VMCFG_VM_BUS_MMIO, VMCFG_VM_BUS_PIO };

	for (size_t s = 0; s < 2; s++) {
		const struct vmcfg_vm_bus_entry *e = vmcfg_vm_bus_find(&vm->bus, spaces[s], base);

		if (!e || e->base != base)
			continue;
		for (const struct vmcfg_vm_console *c = vm->consoles; c; c = c->next)
			if (e->dev == c) {
				*line = console_line(c);
				return 0;
			}
	}
	return VMCFG_ENOENT;
}

/* ---- PL011 ---- */

enum {
	UARTDR = 0x00, UARTFR = 0x18, UARTILPR = 0x20, UARTIBRD = 0x24, UARTFBRD = 0x28,
	UARTLCR_H = 0x2c, UARTCR = 0x30, UARTIFLS = 0x34, UARTIMSC = 0x38, UARTRIS = 0x3c,
	UARTMIS = 0x40, UARTICR = 0x44, UARTDMACR = 0x48, UARTPERIPHID0 = 0xfe0
};
#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)

/* PeriphID0-3 and CellID0-3 of an r1p5 PL011, as drivers probe them. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint32_t pl011_ris(const struct vmcfg_vm_console *c)
{
	return INT_TX | (c->count ? INT_RX : 0);
}

static uint32_t *pl011_reg(struct vmcfg_vm_console *c, uint64_t off)
{
	switch (off) {
	case UARTILPR: return &c->ilpr;
	case UARTIBRD: return &c->ibrd;
	case UARTFBRD: return &c->fbrd;
	case UARTLCR_H: return &c->lcr_h;
	case UARTCR: return &c->cr;
	case UARTIFLS: return &c->ifls;
	case UARTIMSC: return &c->imsc;
	case UARTDMACR: return &c->dmacr;
	default: return NULL;
	}
}

/* What a read of off returns; DR's read also takes the byte off the FIFO. */
static uint32_t pl011_value(struct vmcfg_vm_console *c, uint64_t off, bool take)
{
	uint32_t *reg = pl011_reg(c, off);
	if (reg)
		return *reg;
	if (off == UARTDR)
		return take ? receive(c) : (c->count ? (uint8_t)c->fifo[c->head] : 0);
	if (off == UARTFR)
		return FR_TXFE | (c->count ? 0 : FR_RXFE) | (c->count == FIFO_SIZE ? FR_RXFF : 0);
	if (off == UARTRIS)
		return pl011_ris(c);
	if (off == UARTMIS)
		return pl011_ris(c) & c->imsc;
	if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + 32 && off % 4 == 0)
		return pl011_id[(off - UARTPERIPHID0) / 4];
	return 0;
}

/*
 * The shadow page holds each register's value at its offset (little-endian
 * words, as the guest's loads see them); offsets between the registers and
 * the ID block stay zero, as they read. Only writes change what reads
 * return (no input reaches a shadowed console), so this runs after each.
 */
static void pl011_shadow_refresh(struct vmcfg_vm_console *c)
{
	if (!c->shadow)
		return;
	for (uint64_t off = 0; off <= UARTDMACR; off += 4)
		c->shadow[off / 4] = pl011_value(c, off, false);
	for (uint64_t off = UARTPERIPHID0; off < UARTPERIPHID0 + 32; off += 4)
		c->shadow[off / 4] = pl011_value(c, off, false);
}

static int pl011_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct vmcfg_vm_console *c = dev;
	(void)width;
	*value = pl011_value(c, off, true);
	return 0;
}

static int pl011_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct vmcfg_vm_console *c = dev;
	uint32_t *reg = pl011_reg(c, off);
	(void)width;
	if (reg)
		*reg = (uint32_t)value;
	else if (off == UARTDR)
		transmit(c, value);
	if (reg)
		pl011_shadow_refresh(c); /* DR and UARTICR change nothing a read shows */
	return 0; /* UARTICR and reserved registers: nothing to clear or keep */
}

static const struct vmcfg_vm_device_ops pl011_ops = {
	.read = pl011_read, .write = pl011_write, .reset = console_reset
};

/* ---- 16550 (byte registers at consecutive offsets) ---- */

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_FIFO 0xc0
#define MSR_CTS_DSR_DCD 0xb0

/* The highest-priority interrupt the 16550 identifies (received data over THRE), or IIR_NONE. */
static uint8_t uart16550_iir(const struct vmcfg_vm_console *c)
{
	if ((c->ier & IER_RDI) && c->count)
		return IIR_RDA;
	if ((c->ier & IER_THRI) && c->thre_ip)
		return IIR_THRE;
	return IIR_NONE;
}

static int uart16550_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct vmcfg_vm_console *c = dev;
	bool dlab = c->lcr & LCR_DLAB;
	(void)width;
	switch (off) {
	case RBR_THR: *value = dlab ? c->dll : receive(c); break;
	case IER: *value = dlab ? c->dlm : c->ier; break;
	case IIR_FCR:
		*value = uart16550_iir(c) | ((c->fcr & 1) ? IIR_FIFO : 0);
		if (*value & IIR_THRE)
			c->thre_ip = false; /* reading IIR acknowledges THRE */
		break;
	case LCR: *value = c->lcr; break;
	case MCR: *value = c->mcr; break;
	case LSR: *value = LSR_THRE | LSR_TEMT | (c->count ? LSR_DR : 0); break;
	case MSR: *value = MSR_CTS_DSR_DCD; break;
	case SCR: *value = c->scr; break;
	default: *value = 0; break;
	}
	return 0;
}

static int uart16550_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct vmcfg_vm_console *c = dev;
	bool dlab = c->lcr & LCR_DLAB;
	uint8_t v = (uint8_t)value;
	(void)width;
	switch (off) {
	case RBR_THR:
		if (dlab) {
			c->dll = v;
		} else {
			transmit(c, v);
			c->thre_ip = true; /* sent at once: THR empty again */
		}
		break;
	case IER:
		if (dlab) {
			c->dlm = v;
		} else {
			if ((v & IER_THRI) && !(c->ier & IER_THRI))
				c->thre_ip = true; /* THR is empty when THRI is enabled */
			c->ier = v & 0x0f;
		}
		break;
	case IIR_FCR: c->fcr = v; break;
	case LCR: c->lcr = v; break;
	case MCR: c->mcr = v & 0x1f; break;
	case SCR: c->scr = v; break;
	default: break; /* LSR, MSR are read-only */
	}
	return 0;
}

/* The interrupt output: the PL011's UARTMIS, the 16550's identified interrupt. */
static bool console_line(const struct vmcfg_vm_console *c)
{
	if (c->model == CONSOLE_PL011)
		return (pl011_ris(c) & c->imsc) != 0;
	return uart16550_iir(c) != IIR_NONE;
}

static const struct vmcfg_vm_device_ops uart16550_ops = {
	.read = uart16550_read, .write = uart16550_write, .reset = console_reset
};

/* ---- building one ---- */

static enum console_model pick_model(const struct vm_build *b, const struct vmcfg_vm_emu_device *dev,
				     int *err)
{
	uint64_t want = dev->cfg_count ? dev->cfg_list[0] : 0;
	*err = 0;
	if (want >= CONSOLE_PL011 && want <= CONSOLE_16550_PIO)
		return (enum console_model)want;
	if (want != 0) {
		*err = vmcfg_vm_fail(b, VMCFG_EINVAL,
			       "console '%s': cfg_list[0] = %llu selects no model (0 arch "
			       "default, 1 PL011, 2 16550 MMIO, 3 16550 port I/O)",
			       dev->name, (unsigned long long)want);
		return 0;
	}
	switch (b->vm->arch) {
	case VMCFG_ARCH_X86_64: return CONSOLE_16550_PIO;
	case VMCFG_ARCH_RISCV64: return CONSOLE_16550_MMIO;
	default: return CONSOLE_PL011;
	}
}

int vmcfg_vm_console_create(struct vm_build *b, const struct vmcfg_vm_emu_device *dev,
		      struct vmcfg_vm_device_info *info)
{
	struct vmcfg_vm *vm = b->vm;
	int err;
	enum console_model model = pick_model(b, dev, &err);
	if (err)
		return err;
	struct vmcfg_vm_console *c = vmcfg_arena_zalloc(&vm->arena, sizeof *c, _Alignof(struct vmcfg_vm_console));
	if (!c)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	c->vm = vm;
	c->model = model;
	info->space = model == CONSOLE_16550_PIO ? VMCFG_VM_BUS_PIO : VMCFG_VM_BUS_MMIO;
	info->model = model == CONSOLE_PL011	  ? "pl011"
		      : model == CONSOLE_16550_PIO ? "16550-pio"
						   : "16550-mmio";
	err = vmcfg_vm_register_device(b, info, model == CONSOLE_PL011 ? &pl011_ops : &uart16550_ops, c);
	if (err)
		return err;
	c->next = vm->consoles;
	vm->consoles = c;
	return 0;
}

int vmcfg_vm_console_map_shadow(struct vm_build *b, struct vmcfg_vm_device_info *info)
{
	struct vmcfg_vm *vm = b->vm;
	struct vmcfg_vm_console *c = vm->consoles; /* the one just created for info */
	const struct vmcfg_hal *hal = &vm->aspace.hal;
	uint64_t pa;
	if (!c || c->model != CONSOLE_PL011 || info->base % VMCFG_PAGE_SIZE ||
	    info->length < VMCFG_PAGE_SIZE)
		return 0; /* no shadow: every access traps, as without the option */
	int err = hal->alloc_frames(hal->ctx, 1, VMCFG_PAGE_SIZE, &pa);
	if (!err) {
		c->shadow = hal->phys_to_virt(hal->ctx, pa, VMCFG_PAGE_SIZE);
		if (!c->shadow) {
			hal->free_frames(hal->ctx, pa, 1);
			err = VMCFG_EFAULT;
		}
	}
	if (!err) {
		c->shadow_pa = pa;
		c->shadow_gpa = info->base;
		memset(c->shadow, 0, VMCFG_PAGE_SIZE);
		/* Device memory, as the registers are: the guest's accesses keep their rules. */
		err = vmcfg_aspace_map_linear(&vm->aspace, info->base, pa, VMCFG_PAGE_SIZE,
					      VMCFG_MEM_READ | VMCFG_MEM_DEVICE);
		if (err)
			c->shadow = NULL; /* the frame goes with the VM */
	}
	if (err)
		return vmcfg_vm_fail(b, err, "console '%s': its read shadow page: %s", info->name,
				     vmcfg_strerror(err));
	pl011_shadow_refresh(c);
	info->read_shadow = true;
	return 0;
}
