/* Cortex-A9 MPCore private timer: register offsets and bits from Arm DDI 0407 (Cortex-A9 MPCore TRM) 4.2. */
#include <muster/arch.h>

#include "a9_ptimer.h"

#define PT_LOAD 0x00
#define PT_CONTROL 0x08
#define PT_INT_STATUS 0x0c
#define PT_CONTROL_ENABLE (1U << 0)
#define PT_CONTROL_IRQ_ENABLE (1U << 2) /* auto-reload (bit 1) clear: one-shot; prescaler [15:8] 0 */
#define PT_INT_STATUS_EVENT (1U << 0)   /* set at zero; write 1 to clear */

void a9_ptimer_arm(uintptr_t base, uint32_t ticks)
{
	if (ticks == 0)
		return; /* no timer: the pen waits for an interrupt only */
	mmio_write32(base + PT_CONTROL, 0);
	mmio_write32(base + PT_INT_STATUS, PT_INT_STATUS_EVENT); /* no event left from before */
	mmio_write32(base + PT_LOAD, ticks);                      /* also loads the counter */
	mmio_write32(base + PT_CONTROL, PT_CONTROL_ENABLE | PT_CONTROL_IRQ_ENABLE);
}

void a9_ptimer_disarm(uintptr_t base)
{
	mmio_write32(base + PT_CONTROL, 0);
	mmio_write32(base + PT_INT_STATUS, PT_INT_STATUS_EVENT);
}
