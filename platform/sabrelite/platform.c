/* sabrelite hooks: i.MX UART console, A9 global timer time, GIC wake-ups, SRC core power, watchdog reset. */
#include <muster/arch.h>
#include <muster/platform.h>

#include "../common/a9_gtimer.h"
#include "../common/a9_ptimer.h"
#include "../common/gicv2.h"
#include "../common/imx6_src.h"
#include "../common/imx_uart.h"
#include "../common/semihosting.h"

#ifndef SABRELITE_SEMIHOSTING_EXIT
#define SABRELITE_SEMIHOSTING_EXIT 0 /* platform.mk sets it for QEMU builds */
#endif

static uint64_t time_start; /* the global timer's count at plat_early_init */

static const struct imx6_src src = {
	.base = IMX6_SRC_BASE,
	.now = plat_counter,
	.hz = PLAT_COUNTER_HZ,
	.wait_us = SABRELITE_SRC_WAIT_US,
};

void plat_early_init(void)
{
	a9_gtimer_start(IMX6_GTIMER_BASE, IMX6_GTIMER_PRESCALER);
	time_start = a9_gtimer_count(IMX6_GTIMER_BASE);
}

void plat_console_init(void)
{
	/* The UART's clock gates and pads: a boot ROM or first stage may have done it already [RM] [LX]. */
	mmio_write32(IMX6_CCM_CCGR5, mmio_read32(IMX6_CCM_CCGR5) | IMX6_CCGR5_UART_ON);
	mmio_write32(IMX6_IOMUXC_BASE + SABRELITE_CONSOLE_TX_MUX, SABRELITE_CONSOLE_MUX_MODE);
	mmio_write32(IMX6_IOMUXC_BASE + SABRELITE_CONSOLE_RX_MUX, SABRELITE_CONSOLE_MUX_MODE);
	mmio_write32(IMX6_IOMUXC_BASE + SABRELITE_CONSOLE_RX_SELECT, SABRELITE_CONSOLE_RX_INPUT);
	imx_uart_init(SABRELITE_CONSOLE_BASE, IMX6_UART_CLK_HZ, 115200);
}

void plat_console_putc(char c)
{
	imx_uart_putc(SABRELITE_CONSOLE_BASE, c);
}

int plat_console_getc(void)
{
	return imx_uart_getc(SABRELITE_CONSOLE_BASE);
}

uint32_t plat_counter(void)
{
	return a9_gtimer_count32(IMX6_GTIMER_BASE);
}

uint64_t plat_time_us(void)
{
	/* 64 bits at 100 MHz last 5800 years: no wrap to track, and any CPU may call it. */
	return (a9_gtimer_count(IMX6_GTIMER_BASE) - time_start) / (PLAT_COUNTER_HZ / 1000000U);
}

unsigned plat_cpu_count(void)
{
	return (mmio_read32(IMX6_SCU_BASE + IMX6_SCU_CONFIG) & 3U) + 1U;
}

void plat_smp_init(void)
{
	gic_dist_enable(IMX6_GICD_BASE);
	gic_cpu_clear_active(IMX6_GICC_BASE); /* CPU0's own: nothing active */
}

void plat_secondary_init(void)
{
	a9_ptimer_disarm(IMX6_PTIMER_BASE); /* a core stopped mid-sleep in an earlier life may have left it armed */
	gic_cpu_enable(IMX6_GICC_BASE);
	gic_enable_ppi(IMX6_GICD_BASE, PLAT_POLL_TIMER_PPI);
}

void plat_wake_cpu(unsigned idx)
{
	gic_send_sgi(IMX6_GICD_BASE, idx, PLAT_WAKE_SGI); /* CPU interface number = Aff0 on the A9 */
}

bool plat_cpu_idle(uint32_t max_us)
{
	a9_ptimer_arm(IMX6_PTIMER_BASE, (uint32_t)((uint64_t)IMX6_PTIMER_HZ * max_us / 1000000U));
	unsigned id = gic_wait_interrupt(IMX6_GICC_BASE);

	a9_ptimer_disarm(IMX6_PTIMER_BASE);
	return id == PLAT_WAKE_SGI;
}

/*
 * Called by the coordinator only for a core that is off or held in reset (it keeps the power
 * state). The SRC starts the core at muster's reset vector, in Secure SVC [RM] [QEMU]; its reset
 * bit clearing confirms the start. Not confirmed in time, it may still start: the coordinator
 * counts it as running either way, and only its handshake says it came up.
 */
int plat_cpu_power_on(unsigned idx)
{
	return imx6_src_cpu_start(&src, idx, MUSTER_FLASH_BASE, 0);
}

/*
 * Called only for a core that may be running, after its deadline passed (it touched nothing
 * shared). Disabled in the SRC, it is held in reset until the next start. The hold counts only
 * once the SRC confirms it: QEMU turns the core off later, from the core's own vCPU thread, and
 * a start written before that finds the core "already on" and is lost, leaving it off for the
 * rest of the boot (a boot retry right after an unconfirmed hold lost the core in 7 runs of 10).
 * Unconfirmed, it returns -1: the coordinator then keeps the core as running, and a retry
 * reaches it through its pen if it is alive.
 */
int plat_cpu_hold_in_reset(unsigned idx)
{
	return imx6_src_cpu_hold(&src, idx);
}

__attribute__((noreturn)) void plat_system_off(void)
{
	/*
	 * The SABRE Lite has no power switch software can open, and QEMU's model nothing that exits:
	 * a QEMU build asks the emulator through semihosting (platform.mk), a hardware build halts
	 * with every core parked.
	 */
#if SABRELITE_SEMIHOSTING_EXIT
	semihosting_exit();
#endif
	for (;;)
		wfi();
}

__attribute__((noreturn)) void plat_system_reset(void)
{
	/* WDOG1: a software reset, asserted at once (WCR.SRS = 0), as Linux's imx2_wdt restarts [LX]. */
	*(volatile uint16_t *)(IMX6_WDOG1_BASE + IMX6_WDOG_WCR) = IMX6_WCR_WDE;
	for (;;)
		wfi();
}
