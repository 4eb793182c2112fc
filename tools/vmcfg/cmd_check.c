/* SPDX-License-Identifier: MIT */
/* vmcfg check: parse, decode and convert VM files; report every finding. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "load.h"

static void check_usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg check [OPTIONS] FILE...\n"
		"       vmcfg check [OPTIONS] --system SYSTEM.toml\n\n"
		"Reads each VM configuration file (TOML, '-' for standard input), decodes it,\n"
		"checks it alone and together with the other files given (duplicate ids\n"
		"and names, host memory two VMs map, physical CPUs two VMs pin), converts\n"
		"it into the runtime configuration, and reports every finding\n"
		"compiler-style: file:line:col, the source line with a caret, the other\n"
		"declaration of a conflict, and a hint.\n"
		"With --system, the VM files are those the system file names, and the IVC\n"
		"channel rules and the hypervisor's limits (VMs, vCPUs per VM) run too;\n"
		"with a platform ([platform] in the system file, or --platform) the host\n"
		"rules run (host RAM and its total, hypervisor memory, reserved frames,\n"
		"CPUs, IPA width). Without one they are skipped, and a note (N0313) says\n"
		"which; guest and host address widths are then the defaults of the arch\n"
		"(--arch, else aarch64), as vmcfg build takes them.\n"
		"Codes are explained in docs/diagnostics.md (or vmcfg explain CODE).\n\n"
		"Text findings go to standard error; --format json and sarif are data and\n"
		"go to standard output (also when there are none, and with -q). Text stays\n"
		"bounded on hostile files: a line over 240 bytes shows a window around the\n"
		"finding, and past 100 findings in a file the rest are counted (json and\n"
		"sarif list them).\n\n"
		"options:\n"
		"  --system FILE    check the system FILE describes (docs/system-file.md)\n"
		"  --platform DT    the host's device tree (.dtb or .dts) as the platform:\n"
		"                   CPUs, RAM, GIC frames; resolves device-tree-path\n"
		"                   passthrough entries (docs/device-tree.md); a\n"
		"                   [platform] table it contradicts is W0409\n"
		"  --arch A         the arch the VMs are built for, as vmcfg build --arch:\n"
		"                   aarch64 (default without a platform), riscv64, x86_64;\n"
		"                   it wins over the platform's and sets the address\n"
		"                   widths, MPIDR ids, port I/O and the interrupt controller\n"
		"  --format FMT     text (default), json or sarif (SARIF 2.1.0)\n"
		"  --docs-url URL   where docs/diagnostics.md is published, for SARIF's\n"
		"                   helpUri (default $VMCFG_DOCS_URL, else\n"
		"                   " REPORT_DOCS_URL ")\n"
		"  --color WHEN     auto (default: colour on a terminal), always, never;\n"
		"                   NO_COLOR set means never\n"
		"  -A CODE          allow: drop the findings of warning or note CODE\n"
		"  -W CODE          warn: report note CODE as a warning\n"
		"  -D CODE          deny: report CODE as an error\n"
		"  --strict         treat warnings as errors (same as -W error)\n"
		"  -W error         treat warnings as errors\n"
		"  -q, --quiet      text: print nothing when there are no errors or warnings\n"
		"  -h, --help       this text\n\n"
		"A comment `# vmcfg: allow(CODE)` (or allow(CODE, CODE)) at the end of a line,\n"
		"or on its own line just above it, drops the warnings and notes of CODE located\n"
		"on that line. Errors cannot be allowed: the VM cannot be built as written.\n"
		"`vmcfg explain CODE` prints a code's documentation.\n\n"
		"exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file\n");
}

/* -A/-W/-D CODE into levels; returns 0 or the usage error's exit status. */
static int set_level(struct vmcfg_rule_levels *levels, int opt, const char *code)
{
	enum vmcfg_rule rule;
	enum vmcfg_level level = opt == 'A' ? VMCFG_LEVEL_ALLOW : opt == 'W' ? VMCFG_LEVEL_WARN
									  : VMCFG_LEVEL_DENY;
	if (!vmcfg_rule_by_code(code, strlen(code), &rule))
		return vmcfg_usage_error("check", "-%c: unknown code '%s' (docs/diagnostics.md)", opt,
					 code);
	if (vmcfg_rule_levels_set(levels, rule, level))
		return vmcfg_usage_error("check", "-%c %s: %s is an error; errors cannot be %s", opt,
					 code, vmcfg_rule_info(rule)->code,
					 opt == 'A' ? "allowed" : "lowered to warnings");
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "system", required_argument, NULL, 'S' },
		{ "platform", required_argument, NULL, 'P' },
		{ "arch", required_argument, NULL, 'a' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "docs-url", required_argument, NULL, 'U' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int format = REPORT_TEXT, c, rc;
	const char *color = "auto", *docs = NULL;
	bool quiet = false;
	struct vmcfg_rule_levels levels = { { 0 } };
	struct vm_set_options load = { .levels = &levels, .note_skipped = true };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":A:W:D:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = report_parse_format(optarg);
			if (format < 0)
				return vmcfg_usage_error("check", "unknown format '%s' (text, json, sarif)",
							 optarg);
			break;
		case 'c':
			color = optarg;
			break;
		case 'U':
			docs = optarg;
			break;
		case 'S':
			load.system_path = optarg;
			break;
		case 'P':
			load.platform_path = optarg;
			break;
		case 'a':
			if (!vmcfg_arch_by_name(optarg, &load.arch))
				return vmcfg_usage_error("check", "unknown arch '%s' (aarch64, riscv64, "
								  "x86_64)", optarg);
			break;
		case 'W':
			if (!strcmp(optarg, "error")) {
				load.strict = true;
				break;
			}
			/* fall through */
		case 'A':
		case 'D':
			if ((rc = set_level(&levels, c, optarg)))
				return rc;
			break;
		case 's':
			load.strict = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			check_usage(stdout);
			return 0;
		default:
			return vmcfg_usage_bad_option("check", argv, c);
		}
	}
	if (load.system_path && optind < argc)
		return vmcfg_usage_error("check", "--system takes the VM files from the system file; "
						  "give no FILE");
	if (!load.system_path && optind == argc)
		return vmcfg_usage_error("check", "give a VM FILE (or - for standard input), or "
						  "--system SYSTEM.toml");
	/* Text is for people (standard error); JSON and SARIF are the command's data. */
	FILE *out = format == REPORT_TEXT ? stderr : stdout;
	int colour = report_parse_color(color, out);
	if (colour < 0)
		return vmcfg_usage_error("check", "--color takes auto, always or never");

	struct vm_set set;
	rc = vm_set_load(&set, argv + optind, (size_t)(argc - optind), &load);
	if (rc) {
		fprintf(stderr, "vmcfg check: %s\n", vmcfg_strerror(rc));
		vm_set_free(&set);
		return 2;
	}
	vmcfg_diags_sort(&set.diags);
	struct report r = vm_set_report(&set, (enum report_format)format, colour);
	r.docs_url = docs;
	if (!(quiet && format == REPORT_TEXT && !set.diags.errors && !set.diags.warnings))
		report_write(&r, &set.diags, out);
	int status = set.io_error ? 2 : set.diags.errors ? 1 : 0;
	vm_set_free(&set);
	return status;
}
