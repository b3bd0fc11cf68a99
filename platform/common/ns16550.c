/* 16550 UART driver: 8N1, FIFOs on, polled. Register layout from the TI PC16550D datasheet (table "Register Summary"). */
#include <muster/arch.h>

#include "ns16550.h"

#define UART_RBR_THR_DLL 0 /* receive/transmit holding; divisor latch low when LCR.DLAB */
#define UART_IER_DLH 1     /* interrupt enable; divisor latch high when LCR.DLAB */
#define UART_FCR 2         /* FIFO control (write only) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_DLAB 0x80U
#define LCR_8N1 0x03U
#define FCR_FIFO_ENABLE_CLEAR 0x07U /* enable, clear receive and transmit FIFOs */
#define MCR_DTR_RTS 0x03U
#define LSR_DR 0x01U   /* a received byte is waiting */
#define LSR_THRE 0x20U /* room in the transmit FIFO / holding register */
#define LSR_TEMT 0x40U /* transmitter completely idle */

static uintptr_t reg(const struct ns16550 *uart, unsigned index)
{
	return uart->base + ((uintptr_t)index << uart->reg_shift);
}

void ns16550_init(const struct ns16550 *uart, uint32_t clk_hz, uint32_t baud)
{
	/* Divisor = clk / (16 * baud), rounded. */
	uint32_t div = (clk_hz + 8U * baud) / (16U * baud);

	/*
	 * Let whatever an earlier stage queued drain first: the DesignWare UART ignores LCR and
	 * divisor writes while it is busy (its USR.BUSY), and the bytes would be garbled anyway.
	 */
	while (!(mmio_read32(reg(uart, UART_LSR)) & LSR_TEMT))
		;
	mmio_write32(reg(uart, UART_IER_DLH), 0); /* polled: no interrupts */
	mmio_write32(reg(uart, UART_LCR), LCR_DLAB | LCR_8N1);
	mmio_write32(reg(uart, UART_RBR_THR_DLL), div & 0xffU);
	mmio_write32(reg(uart, UART_IER_DLH), (div >> 8) & 0xffU);
	mmio_write32(reg(uart, UART_LCR), LCR_8N1);
	mmio_write32(reg(uart, UART_FCR), FCR_FIFO_ENABLE_CLEAR);
	mmio_write32(reg(uart, UART_MCR), MCR_DTR_RTS);
}

void ns16550_putc(const struct ns16550 *uart, char c)
{
	while (!(mmio_read32(reg(uart, UART_LSR)) & LSR_THRE))
		;
	mmio_write32(reg(uart, UART_RBR_THR_DLL), (uint8_t)c);
}

int ns16550_getc(const struct ns16550 *uart)
{
	if (!(mmio_read32(reg(uart, UART_LSR)) & LSR_DR))
		return -1;
	return (int)(mmio_read32(reg(uart, UART_RBR_THR_DLL)) & 0xffU);
}
