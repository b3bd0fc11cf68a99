/* CRC-32 (IEEE 802.3, as zlib and U-Boot's legacy image header use it). */
#ifndef MUSTER_CRC32_H
#define MUSTER_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc32(0, buf, len) for a whole buffer; feed the result back in to continue. */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);

#endif
