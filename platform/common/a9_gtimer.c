/* Cortex-A9 MPCore global timer: register offsets from Arm DDI 0407 (Cortex-A9 MPCore TRM) 4.4. */
#include <muster/arch.h>

#include "a9_gtimer.h"

#define GT_COUNTER_LO 0x00
#define GT_COUNTER_HI 0x04
#define GT_CONTROL 0x08
#define GT_CONTROL_ENABLE (1U << 0)
#define GT_CONTROL_PRESCALER_SHIFT 8
#define GT_CONTROL_PRESCALER_MASK 0xffU

void a9_gtimer_start(uintptr_t base, unsigned prescaler)
{
	uint32_t want = ((prescaler & GT_CONTROL_PRESCALER_MASK) << GT_CONTROL_PRESCALER_SHIFT) | GT_CONTROL_ENABLE;

	/*
	 * Already counting at that rate (a warm reset keeps it on silicon, and a payload's secondary
	 * may read it): leave it. The count is never written, so time only grows. A changed prescaler
	 * is written with the comparator, auto-increment and IRQ bits off (this CPU's bank).
	 */
	if (mmio_read32(base + GT_CONTROL) != want)
		mmio_write32(base + GT_CONTROL, want);
}

uint64_t a9_gtimer_count(uintptr_t base)
{
	uint32_t hi, lo;

	do {
		hi = mmio_read32(base + GT_COUNTER_HI);
		lo = mmio_read32(base + GT_COUNTER_LO);
	} while (mmio_read32(base + GT_COUNTER_HI) != hi); /* the low word wrapped between the reads */
	return ((uint64_t)hi << 32) | lo;
}

uint32_t a9_gtimer_count32(uintptr_t base)
{
	return mmio_read32(base + GT_COUNTER_LO);
}
