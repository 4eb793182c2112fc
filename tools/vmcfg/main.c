/* SPDX-License-Identifier: MIT */
/* vmcfg — the command-line tool: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "vmcfg/base.h"
#include "vmcfg/host.h"
#include "report.h"

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
	{ "lsp", "a language server for editors (LSP over stdio)", cmd_lsp },
	{ "toml2json", "read TOML (FILE or stdin), print tagged JSON (toml-test decoder protocol)",
	  cmd_toml2json },
	{ "explain", "the documentation of a diagnostic code (docs/diagnostics.md)", cmd_explain },
	{ "help", "the help of a command: vmcfg help COMMAND", cmd_help },
	{ NULL, NULL, NULL }
};

static void usage(FILE *out)
{
	fprintf(out, "usage: vmcfg [--version] [--help] [--color WHEN] COMMAND [ARGS]\n\n"
		     "VM configuration checker and builder for partitioning hypervisors.\n\n"
		     "commands:\n");
	for (const struct command *c = vmcfg_commands; c->name; c++)
		fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fprintf(out, "\n'vmcfg help COMMAND' or 'vmcfg COMMAND --help' describes a command.\n"
		     "--color WHEN (auto, always, never; before or after the command) colours the\n"
		     "findings of every command; NO_COLOR set means never. Findings and messages\n"
		     "go to standard error, a command's data to standard output; an output option\n"
		     "given '-' writes to standard output.\n"
		     "exit status: 0 ok, 1 errors found in the input, 2 usage or I/O error\n"
		     "input files: regular files or pipes ('-' is standard input) of at most\n"
		     VMCFG_MAX_INPUT_TEXT "; devices and directories are refused\n");
}

static const struct command *find(const char *name)
{
	for (const struct command *c = vmcfg_commands; c->name; c++)
		if (!strcmp(name, c->name))
			return c;
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	const struct command *c = find(argv[1]);
	if (argc > 2 || !c)
		return vmcfg_usage_error("help", "no command '%s' (vmcfg --help lists them)", argv[1]);
	char *args[] = { argv[1], (char *)"--help", NULL };
	return c->run(2, args);
}

int cmd_explain(int argc, char **argv)
{
	enum vmcfg_rule rule;
	struct vmcfg_rule_doc doc;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: vmcfg explain CODE\n\n"
		       "Prints the documentation of a diagnostic code (E0211, w0223, ...): its section\n"
		       "of docs/diagnostics.md, which vmcfg carries.\n");
		return 0;
	}
	if (argc != 2)
		return vmcfg_usage_error("explain", "give one CODE, such as E0211");
	if (!vmcfg_rule_by_code(argv[1], strlen(argv[1]), &rule))
		return vmcfg_usage_error("explain", "no code '%s' (docs/diagnostics.md lists them)",
					 argv[1]);
	const struct vmcfg_rule_info *info = vmcfg_rule_info(rule);
	if (!vmcfg_rule_doc(rule, &doc)) {
		printf("%s %s\n", info->code, info->title);
		return 0;
	}
	printf("%.*s (%s)\n\n%.*s\n", (int)doc.heading_len, doc.heading,
	       info->severity == VMCFG_SEV_ERROR	? "error"
	       : info->severity == VMCFG_SEV_WARNING ? "warning"
						      : "note",
	       (int)doc.body_len, doc.body);
	return 0;
}

/*
 * Takes --color WHEN / --color=WHEN (and --colour) out of argv, before a
 * "--", for every command alike; sets the choice report_parse_color reads.
 * Returns false (after a usage error) for a bad WHEN.
 */
static bool take_color(int *argc, char **argv)
{
	int n = 0;
	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i], *when = NULL;
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--color") || !strcmp(a, "--colour"))
			when = i + 1 < *argc ? argv[++i] : "";
		else if (!strncmp(a, "--color=", 8) || !strncmp(a, "--colour=", 9))
			when = strchr(a, '=') + 1;
		if (!when) {
			argv[n++] = argv[i];
			continue;
		}
		int choice = report_parse_color(when, stderr);
		if (choice < 0 || !strcmp(when, "auto")) {
			if (choice < 0) {
				if (n > 1)
					vmcfg_usage_error(argv[1], "--color takes auto, always or never");
				else
					fprintf(stderr, "vmcfg: --color takes auto, always or never\n");
				return false;
			}
			choice = -1;
		}
		vmcfg_color_choice = choice;
	}
	*argc = n;
	argv[n] = NULL;
	return true;
}

int main(int argc, char **argv)
{
	if (!take_color(&argc, argv))
		return 2;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vmcfg %s\n", VMCFG_VERSION);
		return 0;
	}
	const struct command *c = find(argv[1]);
	if (c)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "vmcfg: unknown command '%s' (see 'vmcfg --help')\n", argv[1]);
	return 2;
}
