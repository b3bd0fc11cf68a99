/* Big-endian reads of unaligned bytes (uImage headers, device trees): one helper for every format. */
#ifndef MUSTER_ENDIAN_H
#define MUSTER_ENDIAN_H

#include <stdint.h>

/* Byte by byte: the data may sit at any alignment, and a misaligned word load faults with the MMU off. */
static inline uint32_t get_be32(const void *p)
{
	const uint8_t *b = p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

#endif
