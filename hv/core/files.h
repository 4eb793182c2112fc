/* SPDX-License-Identifier: MIT */
/*
 * Files built into the hypervisor (the files.S hv/embed.sh generates from
 * the list in hv.mk): the TOML files of the config folders, at their paths
 * in the source tree, and the guest images, at the paths their VM files
 * name them by (relative to the config file, as the CLI resolves them).
 * The guest images are also the hypervisor's file system, for the images
 * of VM files of image_location "fs" (AxVisor reads those from a disk at
 * run time): built in under "fs/", an fs path "/NAME.bin" or "NAME.bin" is
 * "fs/NAME.bin". Like the CLI, the checker is not told their sizes.
 */
#ifndef HV_CORE_FILES_H
#define HV_CORE_FILES_H

#include "vmcfg/base.h"

struct hv_file {
	const char *path; /* e.g. "examples/demo/hello.toml", "examples/demo/hello.bin" */
	const uint8_t *data;
	uint64_t size;
	uint64_t path_len; /* strlen(path): a lookup compares lengths first */
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

/*
 * An image a VM file names: relative to its file cfg_path (image_location
 * "memory"), or when fs is set on the file system (under "fs/"); NULL when
 * it is not built in.
 */
const struct hv_file *hv_file_find_image(const char *cfg_path, bool fs, const char *path);

#endif
