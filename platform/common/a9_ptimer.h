/* The Cortex-A9 MPCore private timer (Arm DDI 0407, 4.1 and 4.2): one per core, PPI ID 29. */
#ifndef PLATFORM_A9_PTIMER_H
#define PLATFORM_A9_PTIMER_H

#include <stdint.h>

/*
 * The calling CPU's private timer (each core sees its own at the same address) as a one-shot:
 * count `ticks` PERIPHCLK cycles (prescaler 0) down, then assert interrupt ID 29 until disarmed
 * (0 ticks: leave it off).
 * Disarm stops it and clears its event flag, which drops the interrupt.
 */
void a9_ptimer_arm(uintptr_t base, uint32_t ticks);
void a9_ptimer_disarm(uintptr_t base);

#endif
