/* U-Boot's Flattened Image Tree (FIT, `mkimage -f`): several images, each with its own load address and hashes. */
#ifndef MUSTER_FIT_H
#define MUSTER_FIT_H

#include <stddef.h>
#include <stdint.h>

#include <muster/uimage.h>

#define FIT_MAX_LOADABLES 4 /* images a configuration may list under "loadables" */
#define FIT_NAME_MAX 32     /* longest image or configuration name, with its NUL */

struct fit_image {
	char name[FIT_NAME_MAX];
	const uint8_t *data; /* inside the FIT (embedded "data") or after it ("data-offset"/"data-position") */
	uint32_t size;
	uint32_t load, entry; /* entry: the kernel's only; defaults to load */
	int has_load;         /* 0 only for a device tree without "load" (muster places it) */
};

struct fit_info {
	char config[FIT_NAME_MAX]; /* the configuration used: /configurations/default */
	struct fit_image kernel, ramdisk, fdt, loadable[FIT_MAX_LOADABLES];
	int has_ramdisk, has_fdt;
	unsigned nloadables;
	uint32_t span; /* bytes of flash the FIT occupies, external data included */
};

/*
 * Verify the FIT at `img`, of which `avail` bytes exist (the flash window), against the RAM
 * `policy`. On success fills `info` and returns 0; else writes a one-line reason and returns -1.
 * Checks: a well-formed device tree; a default configuration with a kernel; every image it names
 * (kernel, ramdisk, fdt, loadables) exists, has the expected type, arch "arm", no compression,
 * its data inside the window, at least one hash muster knows (crc32, sha256), every such hash
 * matching, and (the kernel) os "linux"; every load range inside RAM, outside muster's memory,
 * outside the FIT's own bytes and apart from every other; the kernel's entry inside its data.
 */
int fit_verify(const uint8_t *img, size_t avail, const struct uimage_policy *policy, struct fit_info *info,
	       char *why, size_t why_len);

#endif
