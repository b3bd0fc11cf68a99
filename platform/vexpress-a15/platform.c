/* vexpress-a15 hooks: PL011 console, generic-timer time, L2CTLR core count, GIC wake-ups, SYS_CFG power-off. */
#include <muster/arch.h>
#include <muster/platform.h>

#include "../common/gentimer.h"
#include "../common/gicv2.h"
#include "../common/pl011.h"
#include "../common/v2m_syscfg.h"

static uint64_t time_start; /* CNTPCT at plat_early_init: the counter runs from power-on */

void plat_early_init(void)
{
	gentimer_set_freq(PLAT_COUNTER_HZ);
	time_start = gentimer_count();
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
	return (uint32_t)gentimer_count();
}

uint64_t plat_time_us(void)
{
	return gentimer_ticks_to_us(gentimer_count() - time_start, PLAT_COUNTER_HZ);
}

unsigned plat_cpu_count(void)
{
	uint32_t l2ctlr;

	/* L2CTLR (CP15 c9, op1 1, c0, op2 2) bits [25:24]: cores in the cluster - 1 [A15]. */
	__asm__ volatile("mrc p15, 1, %0, c9, c0, 2" : "=r"(l2ctlr));
	return ((l2ctlr >> 24) & 3U) + 1U;
}

void plat_smp_init(void)
{
	gic_dist_enable(A15_GICD_BASE);
	gic_cpu_clear_active(A15_GICC_BASE); /* CPU0's own: nothing active */
}

void plat_secondary_init(void)
{
	gentimer_poll_disarm(); /* a core stopped mid-sleep in an earlier life may have left it armed */
	gentimer_set_freq(PLAT_COUNTER_HZ); /* CNTFRQ is per core: payloads read it on every CPU */
	gic_cpu_enable(A15_GICC_BASE);
	gic_enable_ppi(A15_GICD_BASE, PLAT_POLL_TIMER_PPI);
}

void plat_wake_cpu(unsigned idx)
{
	gic_send_sgi(A15_GICD_BASE, idx, PLAT_WAKE_SGI); /* CPU interface number = index (board.h) */
}

bool plat_cpu_idle(uint32_t max_us)
{
	gentimer_poll_arm(max_us);
	unsigned id = gic_wait_interrupt(A15_GICC_BASE);

	gentimer_poll_disarm();
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

void plat_ns_init(void)
{
	gic_dist_ns_init(A15_GICD_BASE);
}

void plat_ns_init_cpu(void)
{
	gic_cpu_ns_init(A15_GICD_BASE, A15_GICC_BASE, (1U << PLAT_WAKE_SGI) | (1U << PLAT_POLL_TIMER_PPI));
}

void plat_ns_quiesce_cpu(void)
{
	gic_cpu_ns_quiesce(A15_GICC_BASE);
}

void plat_ack_secure_interrupt(void)
{
	gic_ack_secure(A15_GICC_BASE);
}
