/* Arm generic timer (Arm ARM B8): the CP15 system counter CNTPCT and its frequency register CNTFRQ. */
#ifndef PLATFORM_GENTIMER_H
#define PLATFORM_GENTIMER_H

#include <stdint.h>

/*
 * Make this CPU's CNTFRQ say hz. CNTFRQ is per CPU and writable only at the highest implemented
 * privilege level (Secure PL1 here, where every CPU starts): firmware must set it on every core,
 * because a payload (Linux) reads it and cannot write it. It only reports the rate: the counter
 * itself ticks at whatever the system provides.
 */
void gentimer_set_freq(uint32_t hz);
uint32_t gentimer_freq(void);

/* The 64-bit physical count (CNTPCT), readable at PL1 by any CPU; never wraps in practice. */
uint64_t gentimer_count(void);

/* ticks at hz in microseconds, without overflow for any 64-bit tick count. */
uint64_t gentimer_ticks_to_us(uint64_t ticks, uint32_t hz);

/*
 * The calling CPU's physical timer (CNTP_*; in the Secure state the Secure copy, whose interrupt
 * is PPI ID 29 on Cortex-A15/A7 and on QEMU's virt [DDI 0438 8.2]) as a one-shot: fire `us`
 * microseconds from now (1..1000000; 0 leaves it off), at CNTFRQ's rate. Disarm stops it and
 * drops its interrupt.
 */
void gentimer_poll_arm(uint32_t us);
void gentimer_poll_disarm(void);

#endif
