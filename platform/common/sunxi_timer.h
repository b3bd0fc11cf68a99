/* Allwinner "Timer" block (A10 through H3): one 32-bit timer as a free-running counter. */
#ifndef PLATFORM_SUNXI_TIMER_H
#define PLATFORM_SUNXI_TIMER_H

#include <stdint.h>

/*
 * Start timer n of the block at base counting from OSC24M, divided by 1 << prescale_log2
 * (0..7), continuously from 0xffffffff down, no interrupt. Linux's timer-sun4i.c runs its
 * clocksource the same way.
 */
void sunxi_timer_start(uintptr_t base, unsigned n, unsigned prescale_log2);

/* Ticks since the start, counting up, wrapping at 2^32. Readable by any CPU. */
uint32_t sunxi_timer_count(uintptr_t base, unsigned n);

#endif
