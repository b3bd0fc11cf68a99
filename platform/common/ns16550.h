/* 16550-compatible UART (the Synopsys DesignWare APB UART in Allwinner SoCs, QEMU's serial_mm): polled I/O. */
#ifndef PLATFORM_NS16550_H
#define PLATFORM_NS16550_H

#include <stdint.h>

/*
 * A 16550 whose byte-wide registers sit 1 << reg_shift bytes apart (2 on Allwinner SoCs: one
 * 32-bit word per register). Accesses are 32-bit, which both the DesignWare UART and QEMU's
 * serial_mm accept.
 */
struct ns16550 {
	uintptr_t base;
	unsigned reg_shift;
};

/* 8N1, FIFOs on, interrupts off, divisor for baud from the UART's input clock clk_hz. */
void ns16550_init(const struct ns16550 *uart, uint32_t clk_hz, uint32_t baud);
void ns16550_putc(const struct ns16550 *uart, char c);
int ns16550_getc(const struct ns16550 *uart); /* -1 when no byte is waiting */

#endif
