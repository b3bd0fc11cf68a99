/* Booting the flash payload and handing the secondaries to it. */
#ifndef MUSTER_BOOT_H
#define MUSTER_BOOT_H

#include <muster/settings.h>

/* Verify and start the payload; returns -1 (reason printed) if it refuses, 0 if a payload returned. */
int boot_payload(const struct settings *s);

/* Move every online secondary into the board's Linux SMP pen. */
int linux_handoff_secondaries(void);

#endif
