/*
 * The emulated console: a PL011 subset (Arm PrimeCell UART PL011 TRM, DDI
 * 0183) that guests can print through. Output is collected per line and
 * written with a "[vm-name] " prefix, one line per write, so VMs' lines
 * never mix. Independent of the hypervisor (only vmcfg/base.h and the MMIO
 * bus), so it can move into lib/vm unchanged.
 *
 *   DR   (0x000) write: one character out; read: 0 (no input)
 *   FR   (0x018) read: TXFE | RXFE (transmit FIFO empty, TXFF = 0: never
 *                full; receive FIFO empty)
 *   anything else in the window reads as zero, writes are ignored.
 */
#ifndef HV_CORE_VUART_H
#define HV_CORE_VUART_H

#include "core/mmio_bus.h"

#define VUART_LINE_MAX 160

struct vuart {
	const char *name;         /* the prefix, without brackets */
	struct vmcfg_writer out;
	char line[VUART_LINE_MAX];
	size_t len;
};

extern const struct mmio_ops vuart_ops;

void vuart_init(struct vuart *u, const char *name, const struct vmcfg_writer *out);

/* Writes what is pending as a line (when the VM stops mid-line). */
void vuart_flush(struct vuart *u);

#endif
