/* SPDX-License-Identifier: MIT */
/*
 * The memory map as a picture: a self-contained SVG (no scripts, no web
 * fonts; generic monospace text, dark on light fills, printable). The host's
 * physical memory is the middle column, the VMs' guest memory columns are
 * on either side (stacked from the third VM on, so each faces the host),
 * and bands with arrows run from guest ranges to their host backing.
 * Heights follow the logarithm of the size, so a 4 KiB window stays
 * visible next to a gigabyte of RAM; gaps are squeezed further, a large
 * one marked by a scale break. docs/map.md explains how to read it.
 */
#ifndef VMCFG_TOOLS_MAP_SVG_H
#define VMCFG_TOOLS_MAP_SVG_H

#include <stdio.h>

#include "map_model.h"

/* Writes the picture of m to out; title names what is mapped (a file name). 0 or VMCFG_ENOMEM. */
int map_svg_write(const struct map_model *m, const char *title, FILE *out);

/* Writes it to the file path. Returns 0, VMCFG_ENOMEM, or VMCFG_EIO after saying why on stderr. */
int map_svg_write_file(const struct map_model *m, const char *title, const char *path);

#endif
