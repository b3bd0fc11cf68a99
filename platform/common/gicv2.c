/* GICv2 distributor and CPU interface: enable, send an SGI, acknowledge what woke us. */
#include <muster/arch.h>

#include "gicv2.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1023U
#define GIC_PRIO_LOWEST_UNMASKED 0xf0U

void gic_dist_enable(uintptr_t gicd)
{
	mmio_write32(gicd + GICD_CTLR, 1); /* forward pending interrupts to CPU interfaces */
}

void gic_cpu_enable(uintptr_t gicc)
{
	mmio_write32(gicc + GICC_PMR, GIC_PRIO_LOWEST_UNMASKED); /* SGIs reset to priority 0: unmasked */
	mmio_write32(gicc + GICC_CTLR, 1);
}

void gic_send_sgi(uintptr_t gicd, unsigned target_cpu_if, unsigned sgi)
{
	/* TargetListFilter 0: the CPUTargetList field names the target. */
	mmio_write32(gicd + GICD_SGIR, ((1U << target_cpu_if) << 16) | (sgi & 0xfU));
}

void gic_wait_interrupt(uintptr_t gicc)
{
	dsb(); /* our status stores complete before we sleep */
	wfi();
	uint32_t iar = mmio_read32(gicc + GICC_IAR);

	/* An SGI left pending would end every later WFI at once: acknowledge and complete it. */
	if ((iar & 0x3ffU) != GIC_SPURIOUS)
		mmio_write32(gicc + GICC_EOIR, iar);
}

unsigned gic_cpu_count(uintptr_t gicd)
{
	/* GICD_TYPER.CPUNumber, bits [7:5]: implemented CPU interfaces - 1 (Arm IHI 0048B 4.3.2). */
	return ((mmio_read32(gicd + GICD_TYPER) >> 5) & 7U) + 1U;
}
