/* The serial console CPU0 runs at the prompt. */
#ifndef MUSTER_SHELL_H
#define MUSTER_SHELL_H

#include <muster/settings.h>

/* Run the prompt forever; `settings` are the boot's (for `boot`). */
void shell_run(const struct settings *settings) __attribute__((noreturn));

/* The entry CPUs are released at when they have nothing to run: they return to the pen. */
void shell_idle_entry(uint32_t arg);

#endif
