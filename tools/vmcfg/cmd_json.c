/* SPDX-License-Identifier: MIT */
/* vmcfg json: the runtime configuration (or the file-level spec) as JSON. */
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "load.h"

static void json_usage(FILE *out)
{
	fprintf(out, "usage: vmcfg json [--spec] FILE\n\n"
		     "Prints the runtime configuration of a VM file as JSON: ids, vCPUs with\n"
		     "their affinity, entry points, images, memory regions, devices, interrupt\n"
		     "mode. With --spec, prints what the file declares instead (before conversion).\n"
		     "Findings go to standard error; with errors nothing is printed (exit 1).\n");
}

int cmd_json(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spec", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool spec_only = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 's') {
			spec_only = true;
		} else if (c == 'h') {
			json_usage(stdout);
			return 0;
		} else {
			return vmcfg_usage_bad_option("json", argv, c);
		}
	}
	if (argc - optind != 1)
		return vmcfg_usage_error("json", "give one VM FILE (or - for standard input)");
	struct vm_set set;
	int status = vm_set_load_one(&set, argv[optind]);
	if (status == 0) {
		struct vmcfg_writer w = stdio_writer(stdout);
		if (spec_only)
			vmcfg_vm_spec_emit_json(set.files[0].spec, &w);
		else
			vmcfg_vm_config_emit_json(set.files[0].config, &w);
	}
	vm_set_free(&set);
	return status;
}
