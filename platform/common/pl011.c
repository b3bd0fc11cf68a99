/* PL011 UART driver: 8N1, FIFOs on, polled. Register offsets from Arm DDI 0183 table 3-1. */
#include <muster/arch.h>

#include "pl011.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIBRD 0x24
#define UARTFBRD 0x28
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define FR_TXFF (1U << 5)
#define FR_RXFE (1U << 4)
#define FR_BUSY (1U << 3)
#define LCRH_WLEN8_FEN 0x70U
#define CR_UARTEN_TXE_RXE 0x301U

void pl011_init(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	/* Divisor = clk / (16 * baud) as 16.6 fixed point, rounded. */
	uint32_t div64 = (uint32_t)(((uint64_t)clk_hz * 4U + baud / 2U) / baud);

	while (mmio_read32(base + UARTFR) & FR_BUSY)
		;
	mmio_write32(base + UARTCR, 0);
	mmio_write32(base + UARTIBRD, div64 >> 6);
	mmio_write32(base + UARTFBRD, div64 & 0x3fU);
	mmio_write32(base + UARTLCR_H, LCRH_WLEN8_FEN);
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTCR, CR_UARTEN_TXE_RXE);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (uint8_t)c);
}

int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UARTDR) & 0xffU);
}
