/* SPDX-License-Identifier: MIT */
/* Whole-file reading for the host tools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/host.h"

int vmcfg_read_file(const char *path, char **data, size_t *len)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return VMCFG_EIO;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int rc = 0;
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (ferror(f)) {
			rc = VMCFG_EIO;
			break;
		}
		if (feof(f))
			break;
		if (n + 1 == cap) {
			char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	int saved = errno;
	if (!is_stdin)
		fclose(f);
	if (!buf)
		return VMCFG_ENOMEM;
	if (rc) {
		free(buf);
		errno = saved;
		return rc;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
