/* The settings record in flash: written on the host by tools/mkflash.py, read by CPU0 at boot. */
#ifndef MUSTER_SETTINGS_H
#define MUSTER_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#define SETTINGS_MAGIC 0x5445534dU /* "MSET" */
#define SETTINGS_VERSION 1U
#define SETTINGS_BOOTARGS_MAX 488
#define SETTINGS_BOOTDELAY_MAX_MS 600000U

/* Little-endian, packed by construction (all 32-bit fields, then bytes); 512 bytes. */
struct settings_record {
	uint32_t magic;
	uint32_t version;
	uint32_t size;           /* sizeof(struct settings_record) */
	uint32_t ack_timeout_ms; /* 0: the build's default */
	uint32_t bootdelay_ms;
	char bootargs[SETTINGS_BOOTARGS_MAX]; /* NUL-terminated; "" keeps the DTB's */
	uint32_t crc;                         /* CRC-32 of every byte before this field */
};
_Static_assert(sizeof(struct settings_record) == 512, "layout shared with tools/mkflash.py");
_Static_assert(offsetof(struct settings_record, bootargs) == 20, "layout shared with tools/mkflash.py");
_Static_assert(offsetof(struct settings_record, crc) == 508, "layout shared with tools/mkflash.py");

struct settings {
	uint32_t ack_timeout_ms;
	uint32_t bootdelay_ms;
	char bootargs[SETTINGS_BOOTARGS_MAX];
};

/*
 * Validate the record at `rec` (a flash copy): 0 and `out` filled, or -1 with the reason in `why`
 * and `out` holding the defaults.
 */
int settings_parse(const void *rec, struct settings *out, uint32_t default_ack_ms,
		   uint32_t default_bootdelay_ms, char *why, size_t why_len);

#endif
