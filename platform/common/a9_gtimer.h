/* The Cortex-A9 MPCore global timer (Arm DDI 0407, 4.3 and 4.4): a 64-bit up-counter every core sees. */
#ifndef PLATFORM_A9_GTIMER_H
#define PLATFORM_A9_GTIMER_H

#include <stdint.h>

/* Start it (if it is not running) at PERIPHCLK / (prescaler + 1); no comparator, no interrupt. */
void a9_gtimer_start(uintptr_t base, unsigned prescaler);
/* The whole count, read consistently (upper, lower, upper again, as the TRM says). Any CPU. */
uint64_t a9_gtimer_count(uintptr_t base);
/* The lower 32 bits alone (a free-running counter that wraps). Any CPU. */
uint32_t a9_gtimer_count32(uintptr_t base);

#endif
