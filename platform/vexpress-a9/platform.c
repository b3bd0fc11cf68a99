/* vexpress-a9 hooks: PL011 console, SP804 time, SCU core count, GIC wake-ups, SYS_CFG power-off. */
#include <muster/arch.h>
#include <muster/platform.h>

#include "../common/a9_ptimer.h"
#include "../common/gicv2.h"
#include "../common/pl011.h"
#include "../common/sp804.h"
#include "../common/v2m_syscfg.h"

static uint64_t time_high;  /* upper bits of the extended SP804 count (CPU0 only) */
static uint32_t time_last;

void plat_early_init(void)
{
	/* Select the 1 MHz TIMCLK for SP804 timer 0/1 ([MB] SP810 SCCTRL), then start it. */
	mmio_write32(V2M_SP810_BASE + V2M_SP810_SCCTRL,
		     mmio_read32(V2M_SP810_BASE + V2M_SP810_SCCTRL) | V2M_SP810_TIMER0_1MHZ);
	sp804_start(V2M_TIMER01_BASE);
	time_high = 0;
	time_last = 0;
}

void plat_console_init(void)
{
	pl011_init(V2M_UART0_BASE, V2M_UART_CLK_HZ, 115200);
}

void plat_console_putc(char c)
{
	pl011_putc(V2M_UART0_BASE, c);
}

int plat_console_getc(void)
{
	return pl011_getc(V2M_UART0_BASE);
}

uint32_t plat_counter(void)
{
	return sp804_count(V2M_TIMER01_BASE);
}

uint64_t plat_time_us(void)
{
	uint32_t now = plat_counter();

	if (now < time_last)
		time_high += 1ULL << 32;
	time_last = now;
	return (time_high | now) / (PLAT_COUNTER_HZ / 1000000U);
}

unsigned plat_cpu_count(void)
{
	return (mmio_read32(A9_SCU_BASE + A9_SCU_CONFIG) & 3U) + 1U;
}

void plat_smp_init(void)
{
	gic_dist_enable(A9_GICD_BASE);
	gic_cpu_clear_active(A9_GICC_BASE); /* CPU0's own: nothing active */
}

void plat_secondary_init(void)
{
	a9_ptimer_disarm(A9_PTIMER_BASE); /* a core stopped mid-sleep in an earlier life may have left it armed */
	gic_cpu_enable(A9_GICC_BASE);
	gic_enable_ppi(A9_GICD_BASE, PLAT_POLL_TIMER_PPI);
}

void plat_wake_cpu(unsigned idx)
{
	gic_send_sgi(A9_GICD_BASE, idx, PLAT_WAKE_SGI); /* CPU interface number = Aff0 on the A9 */
}

bool plat_cpu_idle(uint32_t max_us)
{
	a9_ptimer_arm(A9_PTIMER_BASE, (uint32_t)((uint64_t)A9_PTIMER_HZ * max_us / 1000000U));
	unsigned id = gic_wait_interrupt(A9_GICC_BASE);

	a9_ptimer_disarm(A9_PTIMER_BASE);
	return id == PLAT_WAKE_SGI;
}

__attribute__((noreturn)) void plat_system_off(void)
{
	v2m_sys_cfg(V2M_SYSREGS_BASE, V2M_CFG_FUNC_SHUTDOWN);
}

__attribute__((noreturn)) void plat_system_reset(void)
{
	v2m_sys_cfg(V2M_SYSREGS_BASE, V2M_CFG_FUNC_REBOOT);
}

void plat_linux_smp_prepare(void)
{
	/* Clear every flag: a stale entry from an earlier boot must not release a secondary. */
	mmio_write32(V2M_SYSREGS_BASE + V2M_SYS_FLAGSCLR, 0xffffffffU);
	dsb(); /* the clear completes before any secondary enters the pen and reads the flags */
}
