/* SPDX-License-Identifier: MIT */
/* Whole-file reading for the host tools, bounded: hostile paths (/dev/zero, a FIFO) cannot wedge them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmcfg/host.h"

/* Reads fd to its end, at most max bytes: reading stops at max + 1 (VMCFG_ELIMIT). */
static int read_fd(int fd, size_t max, char **data, size_t *len)
{
	size_t limit = max == SIZE_MAX ? max - 1 : max; /* room for the NUL */
	size_t cap = limit < (1 << 16) ? limit + 1 : 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return VMCFG_ENOMEM;
	for (;;) {
		if (n > limit) {
			free(buf);
			return VMCFG_ELIMIT;
		}
		if (n == cap) {
			size_t grown = cap > (limit + 1) / 2 ? limit + 1 : 2 * cap;
			char *bigger = realloc(buf, grown + 1);
			if (!bigger) {
				free(buf);
				return VMCFG_ENOMEM;
			}
			buf = bigger;
			cap = grown;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			free(buf);
			errno = saved;
			return VMCFG_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int vmcfg_read_file_max(const char *path, size_t max, char **data, size_t *len)
{
	if (!path || !data || !len)
		return VMCFG_EINVAL;
	if (!strcmp(path, "-"))
		return read_fd(STDIN_FILENO, max, data, len);
	/* O_NONBLOCK: opening a FIFO nobody writes to returns at once (and reads as empty). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return VMCFG_EIO;
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st))
		rc = VMCFG_EIO;
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		rc = VMCFG_EINVAL; /* a device or directory: endless, blocking or meaningless */
	else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
		rc = VMCFG_ELIMIT;
	else if (fcntl(fd, F_SETFL, 0)) /* blocking again: a writer's data is waited for */
		rc = VMCFG_EIO;
	if (!rc)
		rc = read_fd(fd, max, data, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int vmcfg_read_file(const char *path, char **data, size_t *len)
{
	return vmcfg_read_file_max(path, VMCFG_MAX_INPUT, data, len);
}

const char *vmcfg_read_strerror(int rc, int err)
{
	switch (rc) {
	case VMCFG_EIO:
		return strerror(err);
	case VMCFG_ELIMIT:
		return "larger than the " VMCFG_MAX_INPUT_TEXT " input limit";
	case VMCFG_EINVAL:
		return "not a regular file or a pipe";
	default:
		return vmcfg_strerror(rc);
	}
}
