/* Booting the flash payload and handing the secondaries to it. */
#ifndef MUSTER_BOOT_H
#define MUSTER_BOOT_H

#include <muster/settings.h>

/* Verify and start the payload; returns -1 (reason printed) if it refuses, 0 if a payload returned. */
int boot_payload(const struct settings *s);

/* Hand every online secondary over for Linux: into the board's Linux SMP pen, or held in reset
 * where Linux starts the cores itself (PLAT_LINUX_STARTS_CORES). */
int linux_handoff_secondaries(void);

#endif
