/* SPDX-License-Identifier: MIT */
/* vmcfg — the command-line tool: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vmcfg/base.h"
#include "vmcfg/host.h"

const struct command vmcfg_commands[] = {
	{ "check", "check VM files: every finding with file:line:col and a hint", cmd_check },
	{ "show", "the resolved configuration of a VM, for a person", cmd_show },
	{ "json", "the runtime configuration (or --spec, the file) as JSON", cmd_json },
	{ "fmt", "rewrite a VM file in canonical TOML", cmd_fmt },
	{ "generate", "print a valid VM file template for an architecture", cmd_generate },
	{ "schema", "print a JSON Schema of the VM file format", cmd_schema },
	{ "build", "build every VM on a simulated host: vCPUs, stage-2 map, devices, images",
	  cmd_build },
	{ "map", "the memory map of host and guests, as text and (--svg) a picture", cmd_map },
	{ "dtb", "the guest device tree of a VM, against the host's (--platform)", cmd_dtb },
	{ "toml2json", "read TOML (FILE or stdin), print tagged JSON (toml-test decoder protocol)",
	  cmd_toml2json },
	{ NULL, NULL, NULL }
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vmcfg [--version] [--help] COMMAND [ARGS]\n\n"
		     "VM configuration checker and builder for partitioning hypervisors.\n\n"
		     "commands:\n");
	for (const struct command *c = vmcfg_commands; c->name; c++)
		fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fprintf(out, "\n'vmcfg COMMAND --help' describes a command.\n"
		     "exit status: 0 ok, 1 errors found in the input, 2 usage or I/O error\n"
		     "input files: regular files or pipes ('-' is standard input) of at most\n"
		     VMCFG_MAX_INPUT_TEXT "; devices and directories are refused\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vmcfg %s\n", VMCFG_VERSION);
		return 0;
	}
	for (const struct command *c = vmcfg_commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "vmcfg: unknown command '%s' (see 'vmcfg --help')\n", argv[1]);
	return 2;
}
