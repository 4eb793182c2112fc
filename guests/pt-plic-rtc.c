/* SPDX-License-Identifier: MIT */
/* guests/pt-plic.c for the riscv64 VM that owns QEMU virt's goldfish RTC and its interrupt. */
#define PT_RTC 1
#include "pt-plic.c"
