/* GICv1/v2 (Arm IHI 0048): what wakes parked CPUs with an SGI, and the hand-over to a Non-secure OS. */
#ifndef PLATFORM_GICV2_H
#define PLATFORM_GICV2_H

#include <stdint.h>

void gic_dist_enable(uintptr_t gicd);
/*
 * Leave nothing active on this CPU's interface, as the architecture's reset would: a reset does
 * not always do it (QEMU's GIC keeps the active priorities across a system reset). GICv2: the
 * Active Priorities Registers (Secure and Non-secure) to 0; GICv1 has none, and its pens
 * complete whatever their first acknowledge reveals instead (gic_wait_interrupt).
 */
void gic_cpu_clear_active(uintptr_t gicc);
/* This CPU's interface: nothing active (gic_cpu_clear_active), priority mask open, enabled. */
void gic_cpu_enable(uintptr_t gicc);
void gic_send_sgi(uintptr_t gicd, unsigned target_cpu_if, unsigned sgi);
/* Enable SGI or PPI `id` (0..31) for the calling CPU only (the banked GICD_ISENABLER0). */
void gic_enable_ppi(uintptr_t gicd, unsigned id);
/*
 * DSB, WFI, then acknowledge and complete whatever woke this CPU (spurious wake-ups included),
 * and anything still active on its interface from before a reset (a CPU in muster's pen only).
 * Returns the interrupt ID acknowledged (0..1019), or 1023 when none was pending.
 */
unsigned gic_wait_interrupt(uintptr_t gicc);
unsigned gic_cpu_count(uintptr_t gicd); /* CPU interfaces the distributor serves, 1..8 */

/*
 * Security Extensions: every interrupt to Group 1 (the Non-secure OS's) except those of bitmask
 * `secure_ids` (bit n: SGI or PPI n; muster's wake-up SGI and its pen's poll timer), which stay
 * Group 0 and, with FIQEn, are signalled as FIQ. gic_dist_ns_init once (shared interrupts),
 * gic_cpu_ns_init on each CPU (its banked SGIs and PPIs, its CPU interface).
 */
void gic_dist_ns_init(uintptr_t gicd);
void gic_cpu_ns_init(uintptr_t gicd, uintptr_t gicc, uint32_t secure_ids);
/* Stop Group 1 interrupts from reaching this CPU (the OS has left it); Group 0 still does. */
void gic_cpu_ns_quiesce(uintptr_t gicc);
/* Acknowledge and complete every Group 0 interrupt pending on this CPU (Secure accesses). */
void gic_ack_secure(uintptr_t gicc);

#endif
