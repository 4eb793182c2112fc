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
		"which; guest and host address widths are then aarch64's defaults, as\n"
		"vmcfg build takes them.\n"
		"Codes are explained in docs/diagnostics.md.\n\n"
		"options:\n"
		"  --system FILE    check the system FILE describes (docs/system-file.md)\n"
		"  --platform DT    the host's device tree (.dtb or .dts) as the platform:\n"
		"                   CPUs, RAM, GIC frames; resolves device-tree-path\n"
		"                   passthrough entries (docs/device-tree.md)\n"
		"  --format FMT     text (default), json or sarif (SARIF 2.1.0)\n"
		"  --color WHEN     auto (default: colour on a terminal), always, never\n"
		"  --strict         treat warnings as errors (same as -W error)\n"
		"  -W error         treat warnings as errors\n"
		"  -q, --quiet      print nothing when there are no errors or warnings\n"
		"  -h, --help       this text\n\n"
		"exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "system", required_argument, NULL, 'S' },
		{ "platform", required_argument, NULL, 'P' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int format = REPORT_TEXT, color = -2, c;
	bool quiet = false;
	struct vm_set_options load = { 0 };

	optind = 1;
	while ((c = getopt_long(argc, argv, "W:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = report_parse_format(optarg);
			if (format < 0) {
				fprintf(stderr, "vmcfg check: unknown format '%s' (text, json, sarif)\n", optarg);
				return 2;
			}
			break;
		case 'c':
			color = report_parse_color(optarg, stdout);
			if (color < 0) {
				fprintf(stderr, "vmcfg check: --color takes auto, always or never\n");
				return 2;
			}
			break;
		case 'S':
			load.system_path = optarg;
			break;
		case 'P':
			load.platform_path = optarg;
			break;
		case 'W':
			if (strcmp(optarg, "error")) {
				fprintf(stderr, "vmcfg check: -W takes 'error'\n");
				return 2;
			}
			load.strict = true;
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
			check_usage(stderr);
			return 2;
		}
	}
	if (!vm_set_files_ok(&load, (size_t)(argc - optind), "check")) {
		check_usage(stderr);
		return 2;
	}
	if (color == -2)
		color = report_parse_color("auto", stdout);

	struct vm_set set;
	int rc = vm_set_load(&set, argv + optind, (size_t)(argc - optind), &load);
	if (rc) {
		fprintf(stderr, "vmcfg check: %s\n", vmcfg_strerror(rc));
		vm_set_free(&set);
		return 2;
	}
	vmcfg_diags_sort(&set.diags);
	struct report r = vm_set_report(&set, (enum report_format)format, color);
	if (!(quiet && !set.diags.errors && !set.diags.warnings))
		report_write(&r, &set.diags, stdout);
	int status = set.io_error ? 2 : set.diags.errors ? 1 : 0;
	vm_set_free(&set);
	return status;
}
