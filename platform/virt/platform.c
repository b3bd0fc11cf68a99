/* virt hooks: PL011 console, generic-timer time, GICD_TYPER core count, GIC wake-ups, PL061 power-off. */
#include <muster/arch.h>
#include <muster/platform.h>

#include "../common/gentimer.h"
#include "../common/gicv2.h"
#include "../common/pl011.h"
#include "../common/pl061.h"

static uint64_t time_start; /* CNTPCT at plat_early_init: the counter runs from power-on */

void plat_early_init(void)
{
	gentimer_set_freq(PLAT_COUNTER_HZ);
	time_start = gentimer_count();
}

void plat_console_init(void)
{
	pl011_init(VIRT_UART0_BASE, VIRT_UART_CLK_HZ, 115200);
}

void plat_console_putc(char c)
{
	pl011_putc(VIRT_UART0_BASE, c);
}

int plat_console_getc(void)
{
	return pl011_getc(VIRT_UART0_BASE);
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
	/*
	 * The GIC's count of CPU interfaces: QEMU builds one per -smp CPU. Not the A15's L2CTLR,
	 * whose 2-bit field cannot say more than 4 (a real A15 cluster's limit).
	 */
	return gic_cpu_count(VIRT_GICD_BASE);
}

void plat_smp_init(void)
{
	gic_dist_enable(VIRT_GICD_BASE);
	gic_cpu_clear_active(VIRT_GICC_BASE); /* CPU0's own: nothing active */
}

void plat_secondary_init(void)
{
	gentimer_poll_disarm(); /* a core stopped mid-sleep in an earlier life may have left it armed */
	gentimer_set_freq(PLAT_COUNTER_HZ); /* CNTFRQ is per core: payloads read it on every CPU */
	gic_cpu_enable(VIRT_GICC_BASE);
	gic_enable_ppi(VIRT_GICD_BASE, PLAT_POLL_TIMER_PPI);
}

void plat_wake_cpu(unsigned idx)
{
	gic_send_sgi(VIRT_GICD_BASE, idx, PLAT_WAKE_SGI); /* CPU interface number = index (board.h) */
}

bool plat_cpu_idle(uint32_t max_us)
{
	gentimer_poll_arm(max_us);
	unsigned id = gic_wait_interrupt(VIRT_GICC_BASE);

	gentimer_poll_disarm();
	return id == PLAT_WAKE_SGI;
}

static __attribute__((noreturn)) void gpio_pwr(unsigned pin)
{
	/* gpio-pwr acts on the line going high ([QEMU] hw/gpio/gpio_pwr.c). */
	pl061_drive(VIRT_SECURE_GPIO_BASE, pin, 1);
	for (;;)
		wfi();
}

__attribute__((noreturn)) void plat_system_off(void)
{
	gpio_pwr(VIRT_GPIO_PIN_POWEROFF);
}

__attribute__((noreturn)) void plat_system_reset(void)
{
	gpio_pwr(VIRT_GPIO_PIN_RESET);
}

void plat_ns_init(void)
{
	gic_dist_ns_init(VIRT_GICD_BASE);
}

void plat_ns_init_cpu(void)
{
	gic_cpu_ns_init(VIRT_GICD_BASE, VIRT_GICC_BASE, (1U << PLAT_WAKE_SGI) | (1U << PLAT_POLL_TIMER_PPI));
}

void plat_ns_quiesce_cpu(void)
{
	gic_cpu_ns_quiesce(VIRT_GICC_BASE);
}

void plat_ack_secure_interrupt(void)
{
	gic_ack_secure(VIRT_GICC_BASE);
}
