/* uImage verification: every way an image can be wrong gets its own reason, and nothing runs unverified. */
#include <stdio.h>
#include <string.h>

#include <muster/crc32.h>
#include <muster/endian.h>
#include <muster/uimage.h>

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		snprintf(why, why_len, __VA_ARGS__);                                               \
		return -1;                                                                         \
	} while (0)

static int overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int inside(uint32_t a, uint32_t alen, uint32_t base, uint32_t size)
{
	return a >= base && alen <= size && a - base <= size - alen;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case UIMAGE_TYPE_STANDALONE:
		return "standalone";
	case UIMAGE_TYPE_KERNEL:
		return "kernel";
	case UIMAGE_TYPE_MULTI:
		return "multi";
	default:
		return "unsupported";
	}
}

static int parse_multi(const uint8_t *data, uint32_t size, struct uimage_info *info, char *why,
		       size_t why_len)
{
	uint32_t sizes[UIMAGE_MAX_PARTS];
	unsigned n = 0;
	uint32_t off = 0;

	for (;;) {
		if (off + 4 > size)
			FAIL("multi-file image: its size table runs past the data (%lu bytes)",
			     (unsigned long)size);
		uint32_t len = get_be32(data + off);
		off += 4;
		if (len == 0)
			break;
		if (n == UIMAGE_MAX_PARTS)
			FAIL("multi-file image: more than %d parts (kernel, initrd, device tree)",
			     UIMAGE_MAX_PARTS);
		sizes[n++] = len;
	}
	if (n == 0)
		FAIL("multi-file image: no parts");
	for (unsigned i = 0; i < n; i++) {
		if (off > size || sizes[i] > size - off)
			FAIL("multi-file image: part %u (%lu bytes) runs past the data", i,
			     (unsigned long)sizes[i]);
		info->part[i] = (struct uimage_part){ .offset = UIMAGE_HEADER_SIZE + off, .size = sizes[i] };
		off += (sizes[i] + 3U) & ~3U; /* parts are padded to 4 bytes */
	}
	info->nparts = n;
	return 0;
}

int uimage_verify(const uint8_t *img, size_t avail, const struct uimage_policy *policy,
		  struct uimage_info *info, char *why, size_t why_len)
{
	uint8_t hdr[UIMAGE_HEADER_SIZE];

	memset(info, 0, sizeof(*info));
	if (avail < UIMAGE_HEADER_SIZE)
		FAIL("image truncated: %lu bytes available, the header needs %d", (unsigned long)avail,
		     UIMAGE_HEADER_SIZE);
	memcpy(hdr, img, sizeof(hdr));
	if (get_be32(hdr) != UIMAGE_MAGIC)
		FAIL("bad magic 0x%08lx (a uImage starts with 0x%08lx)", (unsigned long)get_be32(hdr),
		     (unsigned long)UIMAGE_MAGIC);
	uint32_t hcrc = get_be32(hdr + 4);
	memset(hdr + 4, 0, 4); /* the header CRC is computed with its own field zeroed */
	uint32_t calc = crc32(0, hdr, sizeof(hdr));
	if (calc != hcrc)
		FAIL("bad header CRC: stored 0x%08lx, computed 0x%08lx", (unsigned long)hcrc,
		     (unsigned long)calc);

	info->data_size = get_be32(img + 12);
	info->load = get_be32(img + 16);
	info->entry = get_be32(img + 20);
	uint32_t dcrc = get_be32(img + 24);
	info->os = img[28];
	uint32_t arch = img[29];
	info->type = img[30];
	uint32_t comp = img[31];
	memcpy(info->name, img + 32, 32);
	info->name[32] = '\0';

	if (info->data_size > avail - UIMAGE_HEADER_SIZE)
		FAIL("image truncated: header says %lu data bytes, only %lu follow it in flash",
		     (unsigned long)info->data_size, (unsigned long)(avail - UIMAGE_HEADER_SIZE));
	calc = crc32(0, img + UIMAGE_HEADER_SIZE, info->data_size);
	if (calc != dcrc)
		FAIL("bad data CRC: stored 0x%08lx, computed 0x%08lx over %lu bytes", (unsigned long)dcrc,
		     (unsigned long)calc, (unsigned long)info->data_size);
	if (arch != UIMAGE_ARCH_ARM)
		FAIL("unsupported architecture %lu (need ARM, %d)", (unsigned long)arch, UIMAGE_ARCH_ARM);
	if (comp != UIMAGE_COMP_NONE)
		FAIL("unsupported compression %lu (only none: a zImage decompresses itself)",
		     (unsigned long)comp);
	if (info->type == UIMAGE_TYPE_MULTI) {
		if (parse_multi(img + UIMAGE_HEADER_SIZE, info->data_size, info, why, why_len))
			return -1;
	} else if (info->type == UIMAGE_TYPE_STANDALONE || info->type == UIMAGE_TYPE_KERNEL) {
		info->nparts = 1;
		info->part[0] = (struct uimage_part){ .offset = UIMAGE_HEADER_SIZE, .size = info->data_size };
	} else {
		FAIL("unsupported image type %lu (kernel, standalone or multi)", (unsigned long)info->type);
	}

	/* Where the first (executable) part will be copied to, and where it will be entered. */
	uint32_t run_size = info->part[0].size;
	if (!inside(info->load, run_size, policy->ram_base, policy->ram_size))
		FAIL("load range 0x%08lx-0x%08lx is outside RAM 0x%08lx-0x%08lx",
		     (unsigned long)info->load, (unsigned long)info->load + run_size,
		     (unsigned long)policy->ram_base, (unsigned long)policy->ram_base + policy->ram_size);
	if (overlaps(info->load, run_size, policy->hole_base, policy->hole_size))
		FAIL("load range 0x%08lx-0x%08lx overlaps muster's memory 0x%08lx-0x%08lx",
		     (unsigned long)info->load, (unsigned long)info->load + run_size,
		     (unsigned long)policy->hole_base,
		     (unsigned long)policy->hole_base + policy->hole_size);
	if (info->entry < info->load || info->entry - info->load >= run_size)
		FAIL("entry 0x%08lx is outside the loaded %s image 0x%08lx-0x%08lx",
		     (unsigned long)info->entry, type_name(info->type), (unsigned long)info->load,
		     (unsigned long)info->load + run_size);
	return 0;
}
