/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console: whole lines, one physical CPU at a time, so lines
 * from different CPUs and VMs never interleave.
 */
#ifndef HV_CORE_CONSOLE_H
#define HV_CORE_CONSOLE_H

#include "vmcfg/base.h"

/* Writes len bytes as one uninterrupted piece. */
void console_write(const char *s, size_t len);

/* Prints "[hv] <message>\n" (lines are cut at 255 bytes). */
void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Same, from a va_list. */
void hv_vlog(const char *fmt, va_list ap);

/* Writes straight to the UART without the lock: for the panic path only. */
void console_write_unlocked(const char *s, size_t len);

/* The platform's transmitter (platform/<board>/): one byte, polled. */
void console_hw_putc(char c);

/* The platform's receiver: the next byte received, or -1 when none waits. */
int console_hw_getc(void);

/* Turns the UART's receive interrupt on or off (at the UART). */
void console_hw_rx_irq(bool on);

/*
 * The UART's physical address and its interrupt as lib/vm numbers a VM's
 * host interrupts (vm->spis: an SPI on aarch64, a PLIC source on riscv64):
 * a VM that maps the one or owns the other takes the UART's input itself.
 */
uint64_t console_hw_base(void);
uint32_t console_hw_host_irq(void);

#endif
