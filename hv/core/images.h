/*
 * Boot images built into the hypervisor (the generated images.S, from the
 * list in hv.mk): a VM description with image_location = "memory" names its
 * kernel by file name, and this table supplies the bytes.
 */
#ifndef HV_CORE_IMAGES_H
#define HV_CORE_IMAGES_H

#include "vmcfg/base.h"

struct hv_image {
	const char *name; /* file name, e.g. "hello.bin" */
	const uint8_t *data;
	uint64_t size;
};

extern const struct hv_image hv_images[];
extern const uint64_t hv_image_count;

/* The built-in image called name, or NULL. */
const struct hv_image *hv_image_find(const char *name);

#endif
