/* U-Boot legacy image ("uImage", made by mkimage): parse and verify before anything is copied or run. */
#ifndef MUSTER_UIMAGE_H
#define MUSTER_UIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define UIMAGE_MAGIC 0x27051956U
#define UIMAGE_HEADER_SIZE 64
#define UIMAGE_OS_LINUX 5
#define UIMAGE_ARCH_ARM 2
#define UIMAGE_TYPE_STANDALONE 1
#define UIMAGE_TYPE_KERNEL 2
#define UIMAGE_TYPE_MULTI 4
#define UIMAGE_COMP_NONE 0
#define UIMAGE_MAX_PARTS 3 /* kernel, initrd, device tree */

/* A RAM window [base, base + size) with a hole [hole, hole + hole_size) that must stay untouched. */
struct uimage_policy {
	uint32_t ram_base, ram_size;
	uint32_t hole_base, hole_size; /* muster's own RAM: mailbox, data, stacks */
};

struct uimage_part {
	uint32_t offset; /* from the start of the image */
	uint32_t size;
};

struct uimage_info {
	uint32_t type, os, load, entry, data_size;
	char name[33];
	unsigned nparts;
	struct uimage_part part[UIMAGE_MAX_PARTS];
};

/*
 * Verify the image at `img`, of which `avail` bytes exist (the flash window). On success fills
 * `info` and returns 0; otherwise writes a one-line reason into `why` and returns -1.
 * Checks, in order: header fits, magic, header CRC, data fits, data CRC, architecture,
 * compression, type, multi-image table, load range inside RAM and outside muster, entry inside
 * the loaded data.
 */
int uimage_verify(const uint8_t *img, size_t avail, const struct uimage_policy *policy,
		  struct uimage_info *info, char *why, size_t why_len);

#endif
