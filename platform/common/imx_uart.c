/* i.MX UART: register layout and bits from the i.MX 6Dual/6Quad Reference Manual, "UART" chapter. */
#include <muster/arch.h>

#include "imx_uart.h"

#define URXD 0x00
#define UTXD 0x40
#define UCR1 0x80
#define UCR2 0x84
#define UCR3 0x88
#define UCR4 0x8c
#define UFCR 0x90
#define USR2 0x98
#define UBIR 0xa4
#define UBMR 0xa8
#define UTS 0xb4

#define URXD_DATA 0xffU
#define UCR1_UARTEN (1U << 0)
#define UCR2_SRST (1U << 0)  /* 0 resets the UART: always written 1 */
#define UCR2_RXEN (1U << 1)
#define UCR2_TXEN (1U << 2)
#define UCR2_WS (1U << 5)    /* 8-bit characters */
#define UCR2_IRTS (1U << 14) /* ignore RTS: no hardware flow control */
#define UCR3_RXDMUXSEL (1U << 2) /* "must always be set" on i.MX 6 */
#define UFCR_RXTL_1 (1U << 0)    /* receiver trigger level: 1 character */
#define UFCR_RFDIV_1 (5U << 7)   /* reference clock divider: 0b101 = divide by 1 */
#define UFCR_TXTL_2 (2U << 10)   /* transmitter trigger level: 2 characters */
#define USR2_RDR (1U << 0)       /* receive data ready */
#define UTS_TXFULL (1U << 4)     /* transmit FIFO full */

void imx_uart_init(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	mmio_write32(base + UCR1, 0);  /* disabled while it is set up */
	mmio_write32(base + UCR2, UCR2_SRST);
	mmio_write32(base + UFCR, UFCR_RFDIV_1 | UFCR_TXTL_2 | UFCR_RXTL_1);
	/*
	 * baud = ref / (16 * (UBMR + 1) / (UBIR + 1)). With UBIR + 1 = 16: UBMR + 1 = ref / baud
	 * (80 MHz / 115200: 694, 0.06 % fast). The manual wants UBIR written before UBMR.
	 */
	mmio_write32(base + UBIR, 15);
	mmio_write32(base + UBMR, clk_hz / baud - 1U);
	mmio_write32(base + UCR3, UCR3_RXDMUXSEL);
	mmio_write32(base + UCR4, 0); /* no receive, transmit or error interrupts */
	mmio_write32(base + UCR2, UCR2_SRST | UCR2_RXEN | UCR2_TXEN | UCR2_WS | UCR2_IRTS);
	mmio_write32(base + UCR1, UCR1_UARTEN);
}

void imx_uart_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UTS) & UTS_TXFULL)
		;
	mmio_write32(base + UTXD, (uint8_t)c);
}

int imx_uart_getc(uintptr_t base)
{
	if (!(mmio_read32(base + USR2) & USR2_RDR))
		return -1;
	return (int)(mmio_read32(base + URXD) & URXD_DATA);
}
