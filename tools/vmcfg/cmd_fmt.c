/* SPDX-License-Identifier: MIT */
/* vmcfg fmt: rewrite VM files and system files in canonical TOML. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmcfg/host.h"
#include "vmcfg/spec.h"
#include "vmcfg/toml.h"

#include "commands.h"
#include "load.h"

static void fmt_usage(FILE *out)
{
	fprintf(out,
		"usage: vmcfg fmt [-w | --check] [--color WHEN] FILE...\n\n"
		"Prints each VM file or system file in canonical form (a file with a\n"
		"top-level `vms` key and no [base] is a system file). A VM file: [base],\n"
		"[kernel], [devices] with keys in a fixed order, addresses and sizes in hex\n"
		"grouped by 4 digits, records as positional arrays. A system file: `vms`,\n"
		"[platform], [[platform.reserved]], [[ivc]] (docs/system-file.md). The\n"
		"output reads back to the same configuration. Comments are kept: the file\n"
		"header, comments above or after a table header, key or array element, and\n"
		"those inside arrays; each moves with the line it belongs to.\n\n"
		"Nothing is ever dropped: a file with an unknown key (a typo such as\n"
		"`vm_tpye`) or with errors the decoder reports (a wrong type, a value out\n"
		"of range) is not formatted — it is reported and fmt exits 1. Semantic\n"
		"findings (`vmcfg check`) do not stop fmt. FILE `-` is standard input.\n\n"
		"options:\n"
		"  -w, --write   replace each FILE by its canonical form. The new text goes\n"
		"                to a fresh temporary file in the FILE's folder (created\n"
		"                with O_EXCL|O_NOFOLLOW, removed on SIGINT/SIGTERM), is\n"
		"                fsynced, takes FILE's mode and owner (the owner when the\n"
		"                user may set it: root, or a file of one's own), and is renamed over\n"
		"                FILE; a symlink is followed and its target replaced, so the\n"
		"                link stays a link. A FILE with several hard links is\n"
		"                refused (exit 1): a rename would split them. A file already\n"
		"                canonical is not touched.\n"
		"      --check   write nothing; for each FILE not in canonical form print a\n"
		"                unified diff (standard output) and exit 1\n"
		"      --color WHEN  colour of the findings: auto (default), always, never;\n"
		"                NO_COLOR set means never\n"
		"  -h, --help    this text\n\n"
		"exit status: 0 every file canonical (or written), 1 a file not canonical\n"
		"(--check) or not formatted, 2 usage or I/O error\n");
}

/* Collects the emitter's output so -w replaces the file only once it is complete. */
struct buffer {
	char *data;
	size_t len, cap;
	bool failed;
};

static void buffer_write(void *ud, const char *s, size_t len)
{
	struct buffer *b = ud;
	if (b->failed)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + len)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

/*
 * The temporary file of -w, removed by the signal handler when the
 * process is interrupted between its creation and the rename.
 */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;

static void remove_tmp_and_die(int sig)
{
	if (tmp_live)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remove_tmp_and_die;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Blocks the signals above while tmp_path changes, so the handler never sees half a name. */
static void block_signals(bool block, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(block ? SIG_BLOCK : SIG_SETMASK, block ? &set : old, block ? old : NULL);
}

/*
 * The file -w replaces: path itself, or the target of the symlink chain
 * at path (realpath), so that the link is kept. NULL with errno set.
 */
static char *write_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return NULL;
	return S_ISLNK(st.st_mode) ? realpath(path, NULL) : strdup(path);
}

/*
 * Creates a fresh file next to target (".NAME.vmcfg-XXXXXX" in its folder,
 * dir bytes of target) into tmp_path, like mkstemp: O_CREAT|O_EXCL never
 * opens an existing name, a symlink included, and O_NOFOLLOW says so
 * twice. Mode 0600 until fchmod. Returns the descriptor or -1 (errno).
 */
static int create_tmp(const char *target, int dir)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned long x = (unsigned long)getpid() * 2654435761u ^ (unsigned long)time(NULL) ^
				  (unsigned long)clock() * 40503u ^ ++counter * 0x9e3779b9u;
		char suffix[7];
		for (int i = 0; i < 6; i++, x /= 36)
			suffix[i] = digits[x % 36];
		suffix[6] = '\0';
		int n = snprintf(tmp_path, sizeof tmp_path, "%.*s.%s.vmcfg-%s", dir, target,
				 target + dir, suffix);
		if (n < 0 || (size_t)n >= sizeof tmp_path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/*
 * Writes data to target through a new file in target's folder and a
 * rename, so a failure or a kill leaves target intact. The temporary name
 * is fresh (create_tmp). Mode and
 * owner come from target. Returns 0, or -1 with a message printed.
 */
static int replace_file(const char *shown, const char *target, const char *data, size_t len)
{
	struct stat st;
	int fd = open(target, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "vmcfg fmt: %s: %s\n", shown, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "vmcfg fmt: %s: not a regular file; not written\n", shown);
		return -1;
	}
	if (st.st_nlink > 1) {
		fprintf(stderr,
			"vmcfg fmt: %s has %ju hard links; replacing it would split them, so it is "
			"not written (print it with `vmcfg fmt %s` and copy it in place)\n",
			shown, (uintmax_t)st.st_nlink, shown);
		return -1;
	}
	const char *slash = strrchr(target, '/');
	int dir = slash ? (int)(slash - target + 1) : 0;
	sigset_t old;
	block_signals(true, &old);
	fd = create_tmp(target, dir);
	tmp_live = fd >= 0;
	block_signals(false, &old);
	if (fd < 0) {
		fprintf(stderr, "vmcfg fmt: %s: temporary file: %s\n", shown, strerror(errno));
		return -1;
	}
	bool ok = true;
	for (size_t done = 0; ok && done < len;) {
		ssize_t k = write(fd, data + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		ok = k > 0;
		done += ok ? (size_t)k : 0;
	}
	/* Owner first: fchown may clear set-id bits that fchmod then restores. */
	if (ok && (st.st_uid != geteuid() || st.st_gid != getegid()))
		ok = fchown(fd, st.st_uid, st.st_gid) == 0 || errno == EPERM;
	ok = ok && fchmod(fd, st.st_mode & 07777) == 0;
	ok = ok && fsync(fd) == 0;
	int err = errno;
	ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp_path, target) == 0;
	err = ok ? 0 : errno ? errno : err;
	block_signals(true, &old);
	if (!ok)
		unlink(tmp_path);
	tmp_live = 0;
	block_signals(false, &old);
	if (!ok) {
		fprintf(stderr, "vmcfg fmt: %s: %s; left unchanged\n", shown, strerror(err));
		return -1;
	}
	/* The rename is durable once the folder is on disk too. */
	tmp_path[dir] = '\0';
	int dfd = open(dir ? tmp_path : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* Prints a unified diff of path's text against the canonical form (diff -u), for --check. */
static void print_diff(const char *shown, const char *text, size_t len, const char *canon,
		       size_t canon_len)
{
	char a[] = "/tmp/vmcfg-fmt-a.XXXXXX", b[] = "/tmp/vmcfg-fmt-b.XXXXXX";
	int fa = mkstemp(a), fb = fa >= 0 ? mkstemp(b) : -1;
	bool ok = fa >= 0 && fb >= 0 && write(fa, text, len) == (ssize_t)len &&
		  write(fb, canon, canon_len) == (ssize_t)canon_len;
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	fflush(stdout);
	pid_t pid = ok ? fork() : -1;
	if (pid == 0) {
		char la[4200], lb[4200];
		snprintf(la, sizeof la, "%s", shown);
		snprintf(lb, sizeof lb, "%s (vmcfg fmt)", shown);
		execlp("diff", "diff", "-u", "--label", la, "--label", lb, "--", a, b, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1)
		printf("--- %s\n+++ %s (vmcfg fmt)\n(diff(1) not available: the file is not "
		       "canonical)\n",
		       shown, shown);
	fflush(stdout);
	if (fa >= 0)
		unlink(a);
	if (fb >= 0)
		unlink(b);
}

/*
 * The canonical text of a VM file or a system file into out. Returns 0, 1
 * when the file is not formatted (findings printed) or 2 (I/O, memory).
 */
static int canonical(const char *shown, const char *text, size_t len,
		     bool color, struct buffer *out)
{
	struct vmcfg_diags diags;
	struct vmcfg_toml_doc *doc = NULL;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_system *sys = NULL;
	struct vmcfg_writer w = { buffer_write, out };
	int status = 0, rc;

	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	rc = vmcfg_vm_spec_parse_toml(text, len, shown, &vmcfg_host_allocator, &diags, &doc);
	bool system = doc && vmcfg_file_kind_of(doc) == VMCFG_FILE_SYSTEM;
	if (!rc && doc && system)
		rc = vmcfg_system_decode(doc, shown, &vmcfg_host_allocator, &diags, &sys);
	else if (!rc && doc)
		rc = vmcfg_vm_spec_decode(doc, shown, &vmcfg_host_allocator, &diags, &spec);
	size_t unknown = 0;
	for (size_t i = 0; i < diags.count; i++)
		unknown += diags.items[i].rule == VMCFG_R_UNKNOWN_KEY;
	if (!rc && (diags.errors || diags.warnings)) {
		vmcfg_diags_sort(&diags);
		struct vmcfg_diag_source src = { shown, text, len };
		struct report r = { REPORT_TEXT, color, &src, 1, NULL };
		report_write(&r, &diags, stderr);
	}
	if (rc) {
		fprintf(stderr, "vmcfg fmt: %s: %s\n", shown, vmcfg_strerror(rc));
		status = 2;
	} else if (!doc || diags.errors || unknown) {
		fprintf(stderr, "vmcfg fmt: %s not formatted: %s\n", shown,
			unknown && !diags.errors ? "formatting would drop its unknown keys"
						 : "it has errors");
		status = 1;
	} else {
		rc = system ? vmcfg_system_emit_toml_commented(text, len, &vmcfg_host_allocator, &w)
			    : vmcfg_vm_spec_emit_toml_commented(spec, text, len,
								&vmcfg_host_allocator, &w);
		if (rc == VMCFG_EINVALID) {
			fprintf(stderr, "vmcfg fmt: %s not formatted: a value its canonical form "
					"cannot hold\n",
				shown);
			status = 1;
		} else if (rc || out->failed) {
			fprintf(stderr, "vmcfg fmt: %s: out of memory\n", shown);
			status = 2;
		}
	}
	vmcfg_vm_spec_free(spec);
	vmcfg_system_free(sys);
	vmcfg_toml_free(doc);
	vmcfg_diags_free(&diags);
	return status;
}

enum fmt_mode { FMT_PRINT, FMT_WRITE, FMT_CHECK };

static int fmt_one(const char *path, enum fmt_mode mode, bool color)
{
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	char *text = NULL;
	size_t len = 0;
	if (vmcfg_read_file(path, &text, &len)) {
		fprintf(stderr, "vmcfg fmt: cannot read %s: %s\n", shown, strerror(errno));
		return 2;
	}
	struct buffer b = { 0 };
	int status = canonical(shown, text, len, color, &b);
	bool same = b.len == len && (!len || !memcmp(b.data, text, len));
	if (status) {
		/* reported */
	} else if (mode == FMT_PRINT) {
		fwrite(b.data, 1, b.len, stdout);
	} else if (mode == FMT_CHECK && !same) {
		print_diff(shown, text, len, b.data ? b.data : "", b.len);
		status = 1;
	} else if (mode == FMT_WRITE && !same) {
		char *target = write_target(path);
		if (!target) {
			fprintf(stderr, "vmcfg fmt: %s: %s\n", shown, strerror(errno));
			status = 2;
		} else if (replace_file(shown, target, b.data, b.len)) {
			status = 1;
		}
		free(target);
	}
	free(b.data);
	free(text);
	return status;
}

int cmd_fmt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "check", no_argument, NULL, 'c' },
		{ "color", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum fmt_mode mode = FMT_PRINT;
	const char *color = "auto";
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":wh", opts, NULL)) != -1) {
		if (c == 'w' || c == 'c') {
			enum fmt_mode m = c == 'w' ? FMT_WRITE : FMT_CHECK;
			if (mode != FMT_PRINT && mode != m)
				return vmcfg_usage_error("fmt", "-w and --check exclude each other");
			mode = m;
		} else if (c == 'C') {
			color = optarg;
		} else if (c == 'h') {
			fmt_usage(stdout);
			return 0;
		} else {
			return vmcfg_usage_bad_option("fmt", argv, c);
		}
	}
	int color_on = report_parse_color(color, stderr);
	if (color_on < 0)
		return vmcfg_usage_error("fmt", "--color takes auto, always or never");
	if (optind == argc)
		return vmcfg_usage_error("fmt", "give at least one FILE (or - for standard input)");
	for (int i = optind; i < argc; i++)
		if (mode == FMT_WRITE && !strcmp(argv[i], "-"))
			return vmcfg_usage_error("fmt", "-w needs files, not standard input");
	if (mode == FMT_WRITE)
		catch_signals();
	int status = 0;
	for (int i = optind; i < argc; i++) {
		int s = fmt_one(argv[i], mode, color_on > 0);
		status = s > status ? s : status;
	}
	return status;
}
