/* SPDX-License-Identifier: MIT */
/* Usage errors: what was wrong in one line and where to read more, not the whole help. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "commands.h"

int vmcfg_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vmcfg %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'vmcfg %s --help'\n", cmd);
	return 2;
}

int vmcfg_usage_bad_option(const char *cmd, char **argv, int c)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (c == ':')
		return vmcfg_usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt && optopt != '?')
		return vmcfg_usage_error(cmd, "unknown option '-%c'", optopt);
	return vmcfg_usage_error(cmd, "unknown option '%s'", arg);
}
