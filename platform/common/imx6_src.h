/* i.MX 6 System Reset Controller (SRC): start a secondary Cortex-A9 core, hold it in reset. */
#ifndef PLATFORM_IMX6_SRC_H
#define PLATFORM_IMX6_SRC_H

#include <stdint.h>

/*
 * Cores 1..3 stay in reset until software enables them in SRC_SCR; an enabled core starts in the
 * boot ROM, which jumps to the address software left in its SRC_GPR pair (IMX6DQRM "System Reset
 * Controller"; Linux arch/arm/mach-imx/src.c). Every change is confirmed by the core's reset bit
 * in SRC_SCR, which software sets with it and the SRC clears once the reset is done
 * (self-clearing): only then is the change in effect. QEMU's model (hw/misc/imx6_src.c) acts the
 * same way, with a delay that matters: it powers the core on or off from the core's own vCPU
 * thread, and clears the reset bit from there, after the power change.
 *
 * `wait_us` is the most the functions poll for that confirmation (`now` reads a free-running
 * counter of `hz` ticks per second, at least 1 MHz). Both return 0 once confirmed, -1 if not in
 * time (the change may still take effect later: see platform.c). CPU0 alone calls them, one at a
 * time: SRC_SCR is read, modified and written.
 */
struct imx6_src {
	uintptr_t base;
	uint32_t (*now)(void);
	uint32_t hz;
	uint32_t wait_us;
};

/* Start core cpu (1..3) from reset at `entry` (r0 = arg). Stores before the call complete first. */
int imx6_src_cpu_start(const struct imx6_src *src, unsigned cpu, uint32_t entry, uint32_t arg);
/* Disable core cpu (1..3): it is held in reset, wherever it was, until the next start. */
int imx6_src_cpu_hold(const struct imx6_src *src, unsigned cpu);

#endif
