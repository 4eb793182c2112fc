/* SPDX-License-Identifier: MIT */
/* guests/ptimer.c for a VM without a GIC: ISTATUS polled instead of interrupts. */
#define PTIMER_POLL 1
#include "ptimer.c"
