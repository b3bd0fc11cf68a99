/* The i.MX UART (i.MX 6 "UART" chapter; QEMU's imx_serial): polled I/O. */
#ifndef PLATFORM_IMX_UART_H
#define PLATFORM_IMX_UART_H

#include <stdint.h>

/*
 * 8N1, no flow control, interrupts off, FIFOs at their reset depth, the reference clock undivided
 * (UFCR.RFDIV = 1) and the baud rate from clk_hz (the UART's module clock) through UBIR/UBMR.
 * Its pads and clock gate are the board's business (platform.c).
 */
void imx_uart_init(uintptr_t base, uint32_t clk_hz, uint32_t baud);
void imx_uart_putc(uintptr_t base, char c);
int imx_uart_getc(uintptr_t base); /* -1 when no byte is waiting */

#endif
