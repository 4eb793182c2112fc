/* SPDX-License-Identifier: MIT */
/* vmcfg schema: the JSON Schema of VM files or system files, from the format table. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vmcfg/describe.h"

#include "commands.h"
#include "load.h"

static void schema_usage(FILE *out)
{
	fprintf(out, "usage: vmcfg schema [--system] [--draft 07|2020-12]\n\n"
		     "Prints a JSON Schema of the VM file format (or, with --system, of the\n"
		     "system file format), written from the table the decoder reads\n"
		     "(lib/spec/schema.c). Every record is described in both its positional\n"
		     "and its named form; unknown keys are rejected. For editors: taplo / Even\n"
		     "Better TOML read the default, draft-07 (docs/editors.md).\n\n"
		     "options:\n"
		     "  --system          the system file format instead of the VM file format\n"
		     "  --draft DRAFT     07 (default: tuples as items + additionalItems) or\n"
		     "                    2020-12 (prefixItems)\n"
		     "  -h, --help        this text\n");
}

int cmd_schema(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "system", no_argument, NULL, 's' },
		{ "draft", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum vmcfg_file_kind kind = VMCFG_FILE_VM;
	enum vmcfg_schema_draft draft = VMCFG_SCHEMA_DRAFT_07;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			kind = VMCFG_FILE_SYSTEM;
			break;
		case 'd':
			if (!strcmp(optarg, "07") || !strcmp(optarg, "draft-07") || !strcmp(optarg, "7")) {
				draft = VMCFG_SCHEMA_DRAFT_07;
			} else if (!strcmp(optarg, "2020-12")) {
				draft = VMCFG_SCHEMA_2020_12;
			} else {
				fprintf(stderr, "vmcfg schema: --draft takes 07 or 2020-12, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h':
			schema_usage(stdout);
			return 0;
		default:
			schema_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vmcfg schema: takes no FILE\n");
		schema_usage(stderr);
		return 2;
	}
	struct vmcfg_writer w = stdio_writer(stdout);
	return vmcfg_schema_emit_json(kind, draft, &w) ? 2 : 0;
}
