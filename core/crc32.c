/* CRC-32, reflected polynomial 0xedb88320, byte-table driven; the table is built on first use. */
#include <stdbool.h>

#include <muster/crc32.h>

static uint32_t table[256];
static bool table_ready;

static void build_table(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1U) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		table[n] = c;
	}
	table_ready = true;
}

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!table_ready)
		build_table();
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xffU] ^ (crc >> 8);
	return ~crc;
}
