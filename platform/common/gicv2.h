/* GICv1/v2 (Arm IHI 0048): just what wakes parked CPUs with an SGI. */
#ifndef PLATFORM_GICV2_H
#define PLATFORM_GICV2_H

#include <stdint.h>

void gic_dist_enable(uintptr_t gicd);
void gic_cpu_enable(uintptr_t gicc);
void gic_send_sgi(uintptr_t gicd, unsigned target_cpu_if, unsigned sgi);
/* DSB, WFI, then acknowledge and complete whatever woke this CPU (spurious wake-ups included). */
void gic_wait_interrupt(uintptr_t gicc);
unsigned gic_cpu_count(uintptr_t gicd); /* CPU interfaces the distributor serves, 1..8 */

#endif
