/* SPDX-License-Identifier: MIT */
/* The HAL's optional log sink, with formatting done here so embedders need none. */
#include "vmcfg/hal.h"

void vmcfg_hal_logf(const struct vmcfg_hal *hal, enum vmcfg_log_level level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!hal->log)
		return;
	va_start(ap, fmt);
	vmcfg_vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	hal->log(hal->ctx, level, line);
}
