/* SPDX-License-Identifier: MIT */
/*
 * The vmcfg subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand's name) and returns the process exit code:
 * 0 success, 1 findings of error severity / invalid input, 2 usage or I/O error.
 */
#ifndef VMCFG_TOOLS_COMMANDS_H
#define VMCFG_TOOLS_COMMANDS_H

struct command {
	const char *name;
	const char *summary; /* one line for `vmcfg --help` */
	int (*run)(int argc, char **argv);
};

/* The table of subcommands, ended by an entry with name NULL (main.c). */
extern const struct command vmcfg_commands[];

/*
 * A usage error of command cmd: prints "vmcfg CMD: MESSAGE" and
 * "see 'vmcfg CMD --help'" on standard error and returns 2 (usage.c).
 */
__attribute__((format(printf, 2, 3))) int vmcfg_usage_error(const char *cmd, const char *fmt, ...);

/*
 * The usage error for what getopt returned ('?': unknown option, ':': a
 * missing value; the option string must start with ':'), naming the
 * offending argument. Reads optind and optopt. Returns 2.
 */
int vmcfg_usage_bad_option(const char *cmd, char **argv, int c);

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_json(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_toml2json(int argc, char **argv);
int cmd_dtb(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_lsp(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
