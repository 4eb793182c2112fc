/* SPDX-License-Identifier: MIT */
/*
 * QEMU's riscv64 `virt` machine (QEMU 7.2, -M virt, OpenSBI fw_dynamic as
 * -bios): the few facts the hypervisor needs before it has read the device
 * tree (QEMU hw/riscv/virt.c: VIRT_UART0, VIRT_TEST). Everything else
 * comes from the DTB OpenSBI passes in a1.
 */
#ifndef HV_PLATFORM_QEMU_VIRT_RISCV64_PLATFORM_H
#define HV_PLATFORM_QEMU_VIRT_RISCV64_PLATFORM_H

/* The NS16550A UART the hypervisor writes its console to (OpenSBI's too). */
#define PLAT_UART_BASE 0x10000000ull
/* Its PLIC source (QEMU hw/riscv/virt.c, UART0_IRQ). */
#define PLAT_UART_IRQ 10u

/*
 * QEMU's "sifive,test1" finisher: a 32-bit write of 0x5555 ends QEMU with
 * status 0, of (status << 16) | 0x3333 with that status (hw/misc/sifive_test.c).
 */
#define PLAT_TEST_BASE 0x00100000ull
#define PLAT_TEST_PASS 0x5555u
#define PLAT_TEST_FAIL 0x3333u

/*
 * The PLIC (QEMU hw/riscv/virt.c VIRT_PLIC, hart contexts "MS": hart h's
 * M-mode context is 2h, its S-mode context 2h + 1) and the register layout
 * of the RISC-V PLIC specification.
 */
#define PLAT_PLIC_BASE 0x0c000000ull
#define PLAT_PLIC_S_CONTEXT(hartid) (2 * (hartid) + 1)

/* The timebase when the DT names none (QEMU virt: 10 MHz). */
#define PLAT_TIMEBASE_HZ 10000000ull

#endif
