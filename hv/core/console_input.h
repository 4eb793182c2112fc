/* SPDX-License-Identifier: MIT */
/*
 * Console input: what is typed at the host's UART goes to one VM at a time,
 * the input focus (at first the first VM started). The escape byte Ctrl-]
 * (0x1d) followed by 'n' moves the focus to the next live VM, by a digit k
 * to the k-th VM started (0-based), by Ctrl-] again sends one Ctrl-]; the
 * hypervisor logs each move. Nothing is taken when a VM owns the UART
 * (a passthrough window over it, or its interrupt): its input is that
 * VM's, unseen here.
 *
 * Bytes wait in a ring per VM (CONSOLE_INPUT_RING bytes: a pasted page
 * waits there while the guest drains its 16-byte FIFO an interrupt at a
 * time) and go into the VM's emulated console as that FIFO drains (lib/vm
 * vmcfg_vm_console_input); a VM without one reads them through its SBI
 * console calls (riscv64). A full ring drops further bytes (counted, and
 * logged when input stops) rather than leave the UART unread, so that the
 * escape to another VM always gets through.
 *
 * Lock order: a VM's lock, then this module's.
 */
#ifndef HV_CORE_CONSOLE_INPUT_H
#define HV_CORE_CONSOLE_INPUT_H

#include "vmcfg/base.h"

struct hv_vm;

#define CONSOLE_INPUT_ESCAPE 0x1d /* Ctrl-] */
#define CONSOLE_INPUT_RING 4096

/*
 * Takes the UART's input for the count VMs created (before they run) unless
 * one of them maps the UART itself; then enables its receive interrupt.
 */
void console_input_start(struct hv_vm *vms, size_t count);

/* Stops taking input (every VM has ended; before they are destroyed). */
void console_input_stop(void);

/* Whether the hypervisor takes the UART's input (its interrupt is then the hypervisor's). */
bool console_input_active(void);

/* The UART's receive interrupt: reads what it holds and hands it on (any CPU). */
void console_input_received(void);

/*
 * After a guest read of one of hv's emulated devices (hv->lock held): moves
 * waiting bytes into its console's FIFO and updates the console's
 * interrupt line when it took any.
 */
void console_input_refill(struct hv_vm *hv);

/* The next byte for hv's SBI console read, or -1 when none waits. */
int console_input_getc(struct hv_vm *hv);

#endif
