/* Arm PrimeCell PL011 UART (DDI 0183): polled transmit and receive. */
#ifndef PLATFORM_PL011_H
#define PLATFORM_PL011_H

#include <stdint.h>

void pl011_init(uintptr_t base, uint32_t clk_hz, uint32_t baud);
void pl011_putc(uintptr_t base, char c);
int pl011_getc(uintptr_t base);

#endif
