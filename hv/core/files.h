/* SPDX-License-Identifier: MIT */
/*
 * Files built into the hypervisor (the files.S hv/embed.sh generates from
 * the list in hv.mk): the TOML files of the config folders, at their paths
 * in the source tree, and the guest images, at the paths their VM files
 * name them by (relative to the config file, as the CLI resolves them).
 */
#ifndef HV_CORE_FILES_H
#define HV_CORE_FILES_H

#include "vmcfg/base.h"

struct hv_file {
	const char *path; /* e.g. "examples/demo/hello.toml", "examples/demo/hello.bin" */
	const uint8_t *data;
	uint64_t size;
};

extern const struct hv_file hv_files[];
extern const uint64_t hv_file_count;

/* The built-in file at exactly path (no "." or ".." folding), or NULL. */
const struct hv_file *hv_file_find(const char *path);

/*
 * The built-in file at path taken relative to the folder of the file from
 * (an absolute path as is), as the CLI opens a VM file of a system file or
 * an image of a VM file; NULL when there is none.
 */
const struct hv_file *hv_file_find_relative(const char *from, const char *path);

#endif
