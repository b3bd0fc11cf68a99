/* SP804 timer 1 free-running, no interrupt; register offsets from Arm DDI 0271 table 3-1. */
#include <muster/arch.h>

#include "sp804.h"

#define TIMER1_LOAD 0x00
#define TIMER1_VALUE 0x04
#define TIMER1_CONTROL 0x08
#define CTRL_ENABLE (1U << 7)
#define CTRL_32BIT (1U << 1)

void sp804_start(uintptr_t base)
{
	mmio_write32(base + TIMER1_CONTROL, 0);
	mmio_write32(base + TIMER1_LOAD, 0xffffffffU);
	/* Free-running (not periodic), prescale 1, interrupt off, 32-bit. */
	mmio_write32(base + TIMER1_CONTROL, CTRL_ENABLE | CTRL_32BIT);
}

uint32_t sp804_count(uintptr_t base)
{
	return ~mmio_read32(base + TIMER1_VALUE); /* the timer counts down */
}
