/* SPDX-License-Identifier: MIT */
/* guests/pt-uart.c for the VM that owns QEMU's PL031 RTC and its interrupt. */
#define PT_RTC 1
#include "pt-uart.c"
