/* Allwinner R_CPUCFG/R_PRCM core start and reset; offsets from U-Boot's sunxi psci.c and Linux's mach-sunxi/platsmp.c. */
#include <muster/arch.h>

#include "sunxi_cpucfg.h"

/* R_CPUCFG. */
#define CPUCFG_RST_CTRL(cpu) (0x40U * ((cpu) + 1U)) /* CPUn reset control */
#define RST_CTRL_ASSERTED 0x0U  /* bit 1 CORE_RESET, bit 0 power-on RESET: 0 = asserted */
#define RST_CTRL_RELEASED 0x3U
#define CPUCFG_GEN_CTRL 0x184U  /* bits [3:0]: per core, 0 = its L1 caches reset with it */
#define CPUCFG_PRIV0 0x1a4U     /* soft entry: where the boot ROM sends a released secondary */
#define CPUCFG_DBG_CTL1 0x1e4U  /* bits [3:0]: per core, 1 = external debug may access it */

/* R_PRCM. */
#define PRCM_CPU_PWROFF 0x100U               /* bits [3:0]: per core, 1 = power gated off */
#define PRCM_CPU_PWR_CLAMP(cpu) (0x140U + 4U * (cpu)) /* 0xff = outputs clamped, 0 = released */

#define CLAMP_SETTLE_US 10000U /* after releasing the clamp: U-Boot and Linux wait 10 ms */
#define PWRON_SETTLE_US 1000U  /* after ungating the power: Linux waits 1 ms */

static void clear_bits(uintptr_t addr, uint32_t bits)
{
	mmio_write32(addr, mmio_read32(addr) & ~bits);
}

static void set_bits(uintptr_t addr, uint32_t bits)
{
	mmio_write32(addr, mmio_read32(addr) | bits);
}

void sunxi_cpu_start(const struct sunxi_cpu_ctl *ctl, unsigned cpu, uint32_t entry)
{
	uint32_t bit = 1U << cpu;

	mmio_write32(ctl->cpucfg + CPUCFG_PRIV0, entry);
	/* Into reset first: a core that is running (or half started) begins again from scratch. */
	mmio_write32(ctl->cpucfg + CPUCFG_RST_CTRL(cpu), RST_CTRL_ASSERTED);
	clear_bits(ctl->cpucfg + CPUCFG_GEN_CTRL, bit); /* its L1 caches start invalidated */
	clear_bits(ctl->cpucfg + CPUCFG_DBG_CTL1, bit); /* no debug access while it powers up */
	/* Release the power clamp one step at a time (0xff, 0x7f, ... 0), then ungate the power. */
	for (unsigned step = 0; step <= 8; step++)
		mmio_write32(ctl->prcm + PRCM_CPU_PWR_CLAMP(cpu), 0xffU >> step);
	ctl->delay_us(CLAMP_SETTLE_US);
	clear_bits(ctl->prcm + PRCM_CPU_PWROFF, bit);
	ctl->delay_us(PWRON_SETTLE_US);
	dsb(); /* every earlier store (its mailbox command, muster's RAM) complete before the core runs */
	mmio_write32(ctl->cpucfg + CPUCFG_RST_CTRL(cpu), RST_CTRL_RELEASED);
	set_bits(ctl->cpucfg + CPUCFG_DBG_CTL1, bit);
}

int sunxi_cpu_assert_reset(const struct sunxi_cpu_ctl *ctl, unsigned cpu)
{
	uintptr_t rst = ctl->cpucfg + CPUCFG_RST_CTRL(cpu);

	/*
	 * Reset stops the core wherever it is; it never announced ARRIVED, so it holds nothing
	 * shared. The read back is of the same device register, so it returns only after the write
	 * took effect.
	 */
	mmio_write32(rst, RST_CTRL_ASSERTED);
	return (mmio_read32(rst) & RST_CTRL_RELEASED) == RST_CTRL_ASSERTED ? 0 : -1;
}
