/* Allwinner sun6i-family CPU configuration (R_CPUCFG) and CPU power (R_PRCM): start a core, hold it in reset. */
#ifndef PLATFORM_SUNXI_CPUCFG_H
#define PLATFORM_SUNXI_CPUCFG_H

#include <stdint.h>

/*
 * The A31/A23/H3 scheme: a secondary core stays powered down until firmware powers it up through
 * the PRCM and releases its reset in the CPU configuration block; it then starts in the boot
 * ROM, which jumps to the "soft entry" address firmware left in CPUCFG. Sequence and offsets:
 * U-Boot arch/arm/cpu/armv7/sunxi/psci.c (psci_cpu_on, sunxi_cpu_power_off) and Linux
 * arch/arm/mach-sunxi/platsmp.c (sun6i_smp_boot_secondary), which agree.
 */
struct sunxi_cpu_ctl {
	uintptr_t cpucfg;              /* R_CPUCFG base */
	uintptr_t prcm;                /* R_PRCM base */
	void (*delay_us)(uint32_t us); /* the board's busy-wait, for the power-up settling times */
};

/*
 * Power core cpu (1..3) up and release it from reset at entry. Every store this CPU made
 * before the call is complete before the core leaves reset (the core may read any of it).
 */
void sunxi_cpu_start(const struct sunxi_cpu_ctl *ctl, unsigned cpu, uint32_t entry);

/*
 * Assert core cpu's resets, whatever it is doing, and check that the reset control register
 * reports them asserted: 0 if it does (the core is stopped), -1 if it does not (a model that
 * ignores the write: QEMU's allwinner-cpucfg reads back "released" whatever is written).
 */
int sunxi_cpu_assert_reset(const struct sunxi_cpu_ctl *ctl, unsigned cpu);

#endif
