/* SPDX-License-Identifier: MIT */
/* The hypervisor console: a lock around the platform UART, and "[hv] " log lines. */
#include "core/console.h"
#include "core/libc.h"
#include "core/spinlock.h"

static struct spinlock console_lock;

void console_write_unlocked(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_hw_putc(s[i]);
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	console_write_unlocked(s, len);
	spin_unlock(&console_lock);
}

void hv_vlog(const char *fmt, va_list ap)
{
	static const char prefix[] = "[hv] ";
	char line[256];
	size_t n = sizeof prefix - 1;

	memcpy(line, prefix, n);
	n += vmcfg_vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	if (n > sizeof line - 2)
		n = sizeof line - 2; /* cut: keep room for the newline */
	line[n++] = '\n';
	console_write(line, n);
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(fmt, ap);
	va_end(ap);
}
