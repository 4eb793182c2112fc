/* SPDX-License-Identifier: MIT */
/* Names of the VMCFG_E* error codes. */
#include "vmcfg/base.h"

static const char *const names[VMCFG_ERROR_MAX + 1] = {
	[0] = "success",
	[1] = "out of memory",
	[2] = "invalid argument",
	[3] = "syntax error",
	[4] = "limit exceeded",
	[5] = "not found",
	[6] = "wrong type",
	[7] = "value out of range",
	[8] = "already exists",
	[9] = "ranges overlap",
	[10] = "misaligned address or size",
	[11] = "resource busy",
	[12] = "bad address",
	[13] = "not permitted",
	[14] = "no space left",
	[15] = "wrong state",
	[16] = "not supported",
	[17] = "I/O error",
	[18] = "configuration has errors",
};

const char *vmcfg_strerror(int err)
{
	if (err > 0 || err < -VMCFG_ERROR_MAX)
		return "unknown error";
	return names[-err];
}
