/* PL061 GPIO output driver; register offsets from Arm DDI 0190 table 3-1. */
#include <muster/arch.h>

#include "pl061.h"

#define GPIODATA 0x000 /* address bits [9:2] mask which pins an access touches */
#define GPIODIR 0x400  /* 1 = output */

void pl061_drive(uintptr_t base, unsigned pin, unsigned level)
{
	uint32_t bit = 1U << (pin & 7U);

	/* Direction first: a GPIODATA write only reaches pins that are outputs already (DDI 0190, GPIODATA). */
	mmio_write32(base + GPIODIR, mmio_read32(base + GPIODIR) | bit);
	mmio_write32(base + GPIODATA + (bit << 2), level ? bit : 0U);
}
