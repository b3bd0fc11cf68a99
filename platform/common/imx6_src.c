/* i.MX 6 SRC core control: SRC_SCR bits and SRC_GPR pairs from IMX6DQRM "SRC Memory Map/Register Definition". */
#include <muster/arch.h>

#include "imx6_src.h"

#define SRC_SCR 0x00
#define SRC_GPR_ENTRY(cpu) (0x20U + 8U * (cpu)) /* SRC_GPR1 + 8n: core n's jump address ... */
#define SRC_GPR_ARG(cpu) (0x24U + 8U * (cpu))   /* ... and its argument (GPR2 + 8n) */
#define SCR_CORE_RST(cpu) (1U << (13U + (cpu)))    /* core0_rst is bit 13: self-clearing */
#define SCR_CORE_ENABLE(cpu) (1U << (21U + (cpu))) /* core1_enable is bit 22 (core 0 has none) */
#define SCR_ALL_CORE_RST (0xfU << 13)

/*
 * Write SRC_SCR with core cpu's enable bit as asked and its reset bit set, every other core's
 * reset bit 0 ("do not assert"; none is pending: each change waits for its own), then wait until
 * the reset bit reads 0 again.
 */
static int scr_change(const struct imx6_src *src, unsigned cpu, int enable)
{
	uint32_t scr = mmio_read32(src->base + SRC_SCR) & ~SCR_ALL_CORE_RST;

	scr = enable ? scr | SCR_CORE_ENABLE(cpu) : scr & ~SCR_CORE_ENABLE(cpu);
	dsb(); /* our earlier stores (the GPR pair, a payload's RAM) complete before the core's state changes */
	mmio_write32(src->base + SRC_SCR, scr | SCR_CORE_RST(cpu));

	uint32_t start = src->now(), ticks = src->wait_us * (src->hz / 1000000U);

	while (mmio_read32(src->base + SRC_SCR) & SCR_CORE_RST(cpu))
		/* cppcheck-suppress [duplicateExpression, unsignedLessThanZero] ; now() reads a running counter */
		if (src->now() - start >= ticks)
			return -1;
	return 0;
}

int imx6_src_cpu_start(const struct imx6_src *src, unsigned cpu, uint32_t entry, uint32_t arg)
{
	if (cpu < 1 || cpu > 3)
		return -1;
	mmio_write32(src->base + SRC_GPR_ENTRY(cpu), entry);
	mmio_write32(src->base + SRC_GPR_ARG(cpu), arg);
	return scr_change(src, cpu, 1);
}

int imx6_src_cpu_hold(const struct imx6_src *src, unsigned cpu)
{
	if (cpu < 1 || cpu > 3)
		return -1;
	return scr_change(src, cpu, 0);
}
