/* orangepi-pc hooks: 16550 console, H3 timer time, GIC wake-ups, CPUCFG core power, semihosting or halt at power-off. */
#include <muster/arch.h>
#include <muster/platform.h>

#include "../common/gentimer.h"
#include "../common/gicv2.h"
#include "../common/ns16550.h"
#include "../common/semihosting.h"
#include "../common/sunxi_cpucfg.h"
#include "../common/sunxi_timer.h"

#ifndef OPI_SEMIHOSTING_EXIT
#define OPI_SEMIHOSTING_EXIT 0 /* platform.mk sets it for QEMU builds */
#endif

static const struct ns16550 uart0 = { H3_UART0_BASE, H3_UART_REG_SHIFT };

static uint64_t time_high; /* upper bits of the extended timer count (CPU0 only) */
static uint32_t time_last;
static uint32_t time_start; /* the count at plat_early_init: time is measured from there */
/* What CNTFRQ must say on every core, measured by CPU0 before any secondary starts. */
static uint32_t cntfrq_hz;

static void delay_us(uint32_t us)
{
	uint32_t start = plat_counter();
	uint32_t ticks = us * (PLAT_COUNTER_HZ / 1000000U);

	while (plat_counter() - start < ticks)
		;
}

static const struct sunxi_cpu_ctl cpu_ctl = { H3_CPUCFG_BASE, H3_PRCM_BASE, delay_us };

/*
 * One (CNTPCT, timer) pair read close together: taken again while something (an interrupt, a
 * descheduled vCPU under QEMU) came between the two counter reads around the timer read.
 */
static void sample_counters(uint64_t *cnt, uint32_t *tmr)
{
	for (unsigned tries = 0;; tries++) {
		uint64_t before = gentimer_count();
		*tmr = plat_counter();
		uint64_t after = gentimer_count();

		*cnt = before + (after - before) / 2U;
		if (after - before < 256U || tries >= 1000U)
			return;
	}
}

/*
 * The generic counter's real rate, rounded to 100 kHz: 20 ms of it against Timer 0. The H3
 * clocks it at 24 MHz [UB], QEMU 7.2 at 62.5 MHz [QEMU], and CNTFRQ must say the truth to a
 * payload (Linux reads it), so firmware cannot write a constant. Error: the sampling slack (256
 * counter ticks) and one timer tick, about 15 kHz over 20 ms, well inside the rounding.
 */
static uint32_t measure_cntfrq(void)
{
	const uint32_t window = PLAT_COUNTER_HZ / 50U; /* 20 ms of timer ticks */
	uint64_t c0, c1;
	uint32_t t0, t1;

	sample_counters(&c0, &t0);
	do
		sample_counters(&c1, &t1);
	while (t1 - t0 < window);
	uint64_t hz = (c1 - c0) * PLAT_COUNTER_HZ / (t1 - t0);
	return (uint32_t)((hz + 50000U) / 100000U * 100000U);
}

void plat_early_init(void)
{
	sunxi_timer_start(H3_TIMER_BASE, H3_TIMER_MUSTER, H3_TIMER_PRESCALE_LOG2);
	time_high = 0;
	time_start = time_last = plat_counter();
	cntfrq_hz = measure_cntfrq();
	gentimer_set_freq(cntfrq_hz);
}

void plat_console_init(void)
{
	/* UART0's bus clock and reset, and its pins: an SPL normally did this already [H3] [UB]. */
	mmio_write32(H3_CCU_BASE + H3_CCU_BUS_CLK_GATING3,
		     mmio_read32(H3_CCU_BASE + H3_CCU_BUS_CLK_GATING3) | H3_CCU_UART0_BIT);
	mmio_write32(H3_CCU_BASE + H3_CCU_BUS_SOFT_RST4,
		     mmio_read32(H3_CCU_BASE + H3_CCU_BUS_SOFT_RST4) | H3_CCU_UART0_BIT);
	mmio_write32(H3_PIO_BASE + H3_PIO_PA_CFG0,
		     (mmio_read32(H3_PIO_BASE + H3_PIO_PA_CFG0) & ~H3_PA4_PA5_MASK) | H3_PA4_PA5_UART0);
	ns16550_init(&uart0, H3_UART_CLK_HZ, 115200);
}

void plat_console_putc(char c)
{
	ns16550_putc(&uart0, c);
}

int plat_console_getc(void)
{
	return ns16550_getc(&uart0);
}

uint32_t plat_counter(void)
{
	return sunxi_timer_count(H3_TIMER_BASE, H3_TIMER_MUSTER);
}

uint64_t plat_time_us(void)
{
	uint32_t now = plat_counter();

	if (now < time_last)
		time_high += 1ULL << 32;
	time_last = now;
	return ((time_high | now) - time_start) / (PLAT_COUNTER_HZ / 1000000U);
}

unsigned plat_cpu_count(void)
{
	return gic_cpu_count(H3_GICD_BASE); /* one CPU interface per core: 4 on the H3 */
}

void plat_smp_init(void)
{
	gic_dist_enable(H3_GICD_BASE);
	gic_cpu_clear_active(H3_GICC_BASE); /* CPU0's own: nothing active */
}

void plat_secondary_init(void)
{
	gentimer_poll_disarm(); /* a core stopped mid-sleep in an earlier life may have left it armed */
	/* CNTFRQ is per core; CPU0 measured the rate before it started any of us. */
	gentimer_set_freq(cntfrq_hz);
	gic_cpu_enable(H3_GICC_BASE);
	gic_enable_ppi(H3_GICD_BASE, PLAT_POLL_TIMER_PPI);
}

void plat_wake_cpu(unsigned idx)
{
	gic_send_sgi(H3_GICD_BASE, idx, PLAT_WAKE_SGI); /* CPU interface number = index (board.h) */
}

bool plat_cpu_idle(uint32_t max_us)
{
	gentimer_poll_arm(max_us);
	unsigned id = gic_wait_interrupt(H3_GICC_BASE);

	gentimer_poll_disarm();
	return id == PLAT_WAKE_SGI;
}

/*
 * The coordinator keeps each core's power state (include/muster/smp.h) and calls this only for a
 * core that is powered down or held in reset: boot ROM, then muster's reset vector, new epoch.
 * The start is not confirmed here: the core's own handshake is its confirmation.
 */
int plat_cpu_power_on(unsigned idx)
{
	if (idx == 0 || idx >= PLAT_MAX_CPUS)
		return -1;
	sunxi_cpu_start(&cpu_ctl, idx, MUSTER_FLASH_BASE);
	return 0;
}

/*
 * Called only for a core that may be running. The reset takes effect as the write completes, and
 * the read back confirms it ([H3] [UB]); QEMU's model ignores it and reads back "released", so
 * the hold returns -1 there and the coordinator keeps the core as running (README.md).
 */
int plat_cpu_hold_in_reset(unsigned idx)
{
	if (idx == 0 || idx >= PLAT_MAX_CPUS)
		return -1;
	return sunxi_cpu_assert_reset(&cpu_ctl, idx);
}

__attribute__((noreturn)) void plat_system_off(void)
{
	/*
	 * The Orange Pi PC has no power switch software can open (no PMIC), and QEMU 7.2 models
	 * nothing on this machine that exits: a QEMU build asks the emulator through semihosting
	 * (platform.mk), a hardware build halts with every core parked.
	 */
#if OPI_SEMIHOSTING_EXIT
	semihosting_exit();
#endif
	for (;;)
		wfi();
}

__attribute__((noreturn)) void plat_system_reset(void)
{
	/* Watchdog 0, whole-system reset after its shortest interval [H3] [LX]. */
	mmio_write32(H3_WDOG0_BASE + H3_WDOG_CFG, H3_WDOG_CFG_SYSTEM_RESET);
	mmio_write32(H3_WDOG0_BASE + H3_WDOG_MODE, H3_WDOG_MODE_EN);
	for (;;)
		wfi();
}
