/* Arm generic timer: CNTFRQ programming and CNTPCT reads through CP15 (Arm DDI 0406C, chapter B8). */
#include <muster/arch.h>

#include "gentimer.h"

uint32_t gentimer_freq(void)
{
	uint32_t hz;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(hz)); /* CNTFRQ */
	return hz;
}

void gentimer_set_freq(uint32_t hz)
{
	/* Write only when it differs: the register may already hold the board's rate. */
	if (gentimer_freq() != hz) {
		__asm__ volatile("mcr p15, 0, %0, c14, c0, 0" : : "r"(hz)); /* CNTFRQ */
		isb(); /* the CNTFRQ write takes effect before any later read of it */
	}
}

uint64_t gentimer_count(void)
{
	uint32_t lo, hi;

	/* CNTPCT may be read out of order with earlier instructions (Arm DDI 0406C B8). */
	isb(); /* earlier instructions complete before the counter is sampled */
	__asm__ volatile("mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi)); /* CNTPCT */
	return ((uint64_t)hi << 32) | lo;
}

uint64_t gentimer_ticks_to_us(uint64_t ticks, uint32_t hz)
{
	/* Whole seconds and the remainder apart, so ticks * 1000000 never overflows. */
	return (ticks / hz) * 1000000U + (ticks % hz) * 1000000U / hz;
}

#define CNTP_CTL_ENABLE (1U << 0) /* IMASK (bit 1) clear: the timer asserts its interrupt */

void gentimer_poll_arm(uint32_t us)
{
	if (us == 0)
		return; /* no timer: the pen waits for an interrupt only */
	uint32_t ticks = (uint32_t)((uint64_t)gentimer_freq() * us / 1000000U);

	__asm__ volatile("mcr p15, 0, %0, c14, c2, 0" : : "r"(ticks));           /* CNTP_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c2, 1" : : "r"(CNTP_CTL_ENABLE)); /* CNTP_CTL */
	isb(); /* the timer is armed before the WFI that it must end */
}

void gentimer_poll_disarm(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c2, 1" : : "r"(0U)); /* CNTP_CTL: off, interrupt low */
	isb(); /* off before anything after the pen's sleep runs */
}
