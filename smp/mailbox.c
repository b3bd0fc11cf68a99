/* The mailbox slots themselves, in RAM that CPU0 never zeroes (see linker/muster.ld.S). */
#include <muster/smp.h>

/*
 * In .mailbox, a NOLOAD section outside .data and .bss: the status lines belong to the
 * secondaries from their first instruction on, so CPU0's start-up must not clear them.
 */
struct mbox_slot mbox_slots[PLAT_MAX_CPUS] __attribute__((section(".mailbox")));
