/* Allwinner timer block driver; register layout from the Allwinner H3 datasheet, "Timer" (TMRn_CTRL/INTV/CUR). */
#include <muster/arch.h>

#include "sunxi_timer.h"

#define TMR_CTRL(n) (0x10U + 0x10U * (n))      /* TMRn_CTRL_REG */
#define TMR_INTV(n) (0x14U + 0x10U * (n))      /* TMRn_INTV_VALUE_REG: the reload value */
#define TMR_CUR(n) (0x18U + 0x10U * (n))       /* TMRn_CUR_VALUE_REG: counts down */
#define CTRL_EN (1U << 0)
#define CTRL_RELOAD (1U << 1)                  /* load INTV into CUR (self-clearing on hardware) */
#define CTRL_SRC_OSC24M (1U << 2)              /* bits [3:2]: 01 = OSC24M (00 would be LOSC, 32 kHz) */
#define CTRL_PRESCALE(log2) (((log2) & 7U) << 4) /* bits [6:4]: divide by 1 << log2 */
/* bit 7 (mode) stays 0: continuous, the counter restarts from INTV after reaching 0. */

void sunxi_timer_start(uintptr_t base, unsigned n, unsigned prescale_log2)
{
	mmio_write32(base + TMR_CTRL(n), 0); /* stop it while it is set up */
	mmio_write32(base + TMR_INTV(n), 0xffffffffU);
	/* Reload and enable in one write, as Linux's timer-sun4i.c does. */
	mmio_write32(base + TMR_CTRL(n),
		     CTRL_SRC_OSC24M | CTRL_PRESCALE(prescale_log2) | CTRL_RELOAD | CTRL_EN);
	/*
	 * Until the reload lands, the counter still shows its old value, and a later jump back to
	 * the top would look like a wrap. Hardware clears RELOAD once the value is loaded (a couple
	 * of timer clock cycles); QEMU's model loads it at once and never clears the bit, so the
	 * wait is bounded.
	 */
	for (unsigned tries = 0; tries < 1000U && (mmio_read32(base + TMR_CTRL(n)) & CTRL_RELOAD); tries++)
		;
}

uint32_t sunxi_timer_count(uintptr_t base, unsigned n)
{
	return ~mmio_read32(base + TMR_CUR(n)); /* the timer counts down from 0xffffffff */
}
