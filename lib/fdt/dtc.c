/* SPDX-License-Identifier: MIT */
/*
 * Loading device tree files, and running dtc: DTS → DTB for a platform
 * given as source, DTB → DTS for `vmcfg dtb -O dts` and for tests. dtc is
 * run directly (fork + exec, no shell), its input in a temporary file and
 * its output read from a pipe, so no quoting and no deadlock can occur.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "vmcfg/host.h"

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

/* Reads fd to its end into a malloc'ed, NUL-terminated buffer. */
static int read_all(int fd, char **out, size_t *out_len)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return VMCFG_ENOMEM;
	for (;;) {
		if (len == cap) {
			char *bigger = cap > SIZE_MAX / 2 - 1 ? NULL : realloc(buf, 2 * cap + 1);
			if (!bigger) {
				free(buf);
				return VMCFG_ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return VMCFG_EIO;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return 0;
}

/* Runs dtc on the file at path; its standard output becomes *out. */
static int run_dtc(const char *in_format, const char *out_format, const char *path, char **out,
		   size_t *out_len)
{
	int fds[2];
	if (pipe(fds))
		return VMCFG_EIO;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return VMCFG_EIO;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		/*
		 * -q: dtc's warnings about host DTs (missing phandles…) are not ours
		 * to print. "--": a file name starting with '-' is a file, not an option.
		 */
		execlp("dtc", "dtc", "-q", "-I", in_format, "-O", out_format, "--", path,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	int rc = read_all(fds[0], out, out_len);
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		free(*out);
		rc = VMCFG_EIO;
	}
	if (rc)
		*out = NULL;
	return rc;
}

static bool known_format(const char *f)
{
	return f && (!strcmp(f, "dts") || !strcmp(f, "dtb"));
}

int vmcfg_fdt_dtc(const char *in_format, const char *out_format, const void *in, size_t in_len,
		  char **out, size_t *out_len)
{
	if (!out || !out_len || (!in && in_len) || !known_format(in_format) ||
	    !known_format(out_format))
		return VMCFG_EINVAL;
	*out = NULL;
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/vmcfg-dtc-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return VMCFG_EIO;
	bool ok = write_all(fd, in, in_len);
	close(fd);
	int rc = ok ? run_dtc(in_format, out_format, path, out, out_len) : VMCFG_EIO;
	unlink(path);
	return rc;
}

int vmcfg_fdt_read(const char *path, char **blob, size_t *size)
{
	char *text;
	size_t len;
	if (!path || !blob || !size)
		return VMCFG_EINVAL;
	*blob = NULL;
	int rc = vmcfg_read_file(path, &text, &len);
	if (rc)
		return rc;
	if (len >= 4 && fdt_magic((const void *)text) == FDT_MAGIC) {
		*blob = text;
		*size = len;
		return 0;
	}
	/* Source: compile the file itself, so dtc's messages name it and /include/ works. */
	if (!strcmp(path, "-"))
		rc = vmcfg_fdt_dtc("dts", "dtb", text, len, blob, size);
	else
		rc = run_dtc("dts", "dtb", path, blob, size);
	free(text);
	return rc;
}
