/* Settings record validation: anything wrong means the defaults, and a warning saying why. */
#include <stdio.h>
#include <string.h>

#include <muster/crc32.h>
#include <muster/settings.h>
#include <muster/smp.h>

int settings_parse(const void *rec, struct settings *out, uint32_t default_ack_ms,
		   uint32_t default_bootdelay_ms, char *why, size_t why_len)
{
	struct settings_record r;

	*out = (struct settings){ .ack_timeout_ms = default_ack_ms, .bootdelay_ms = default_bootdelay_ms };
	memcpy(&r, rec, sizeof(r)); /* one aligned copy out of flash, then check the copy */
	if (r.magic != SETTINGS_MAGIC) {
		snprintf(why, why_len, "no settings record (magic 0x%08lx)", (unsigned long)r.magic);
		return -1;
	}
	if (r.version != SETTINGS_VERSION || r.size != sizeof(r)) {
		snprintf(why, why_len, "settings record version %lu size %lu not understood (want %lu, %lu)",
			 (unsigned long)r.version, (unsigned long)r.size, (unsigned long)SETTINGS_VERSION,
			 (unsigned long)sizeof(r));
		return -1;
	}
	uint32_t calc = crc32(0, &r, offsetof(struct settings_record, crc));
	if (calc != r.crc) {
		snprintf(why, why_len, "settings record corrupt: CRC stored 0x%08lx, computed 0x%08lx",
			 (unsigned long)r.crc, (unsigned long)calc);
		return -1;
	}
	if (!memchr(r.bootargs, '\0', sizeof(r.bootargs))) {
		snprintf(why, why_len, "settings record corrupt: boot arguments not terminated");
		return -1;
	}
	if (r.ack_timeout_ms != 0 &&
	    (r.ack_timeout_ms < SMP_ACK_TIMEOUT_MIN_MS || r.ack_timeout_ms > SMP_ACK_TIMEOUT_MAX_MS)) {
		snprintf(why, why_len, "settings record: acknowledgment timeout %lu ms out of range %u..%u",
			 (unsigned long)r.ack_timeout_ms, SMP_ACK_TIMEOUT_MIN_MS, SMP_ACK_TIMEOUT_MAX_MS);
		return -1;
	}
	if (r.bootdelay_ms > SETTINGS_BOOTDELAY_MAX_MS) {
		snprintf(why, why_len, "settings record: boot delay %lu ms out of range 0..%lu",
			 (unsigned long)r.bootdelay_ms, (unsigned long)SETTINGS_BOOTDELAY_MAX_MS);
		return -1;
	}
	out->ack_timeout_ms = r.ack_timeout_ms ? r.ack_timeout_ms : default_ack_ms;
	out->bootdelay_ms = r.bootdelay_ms;
	memcpy(out->bootargs, r.bootargs, sizeof(out->bootargs));
	return 0;
}
