/* GICv2 distributor and CPU interface: enable, send an SGI, acknowledge what woke us. */
#include <muster/arch.h>

#include "gicv2.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1023U
#define GIC_FIRST_SPECIAL 1020U /* IDs 1020-1023: nothing (more) to acknowledge */
#define GICD_CTLR_ENABLE_GRP0 (1U << 0)
#define GICD_CTLR_ENABLE_GRP1 (1U << 1)
/* Secure view of GICC_CTLR (IHI 0048B 4.4.1). */
#define GICC_CTLR_ENABLE_GRP0 (1U << 0)
#define GICC_CTLR_ENABLE_GRP1 (1U << 1)
#define GICC_CTLR_FIQ_EN (1U << 3)
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

void gic_dist_ns_init(uintptr_t gicd)
{
	/* GICD_TYPER.ITLinesNumber, bits [4:0]: 32 * (N + 1) interrupt IDs; register 0 is banked. */
	unsigned regs = (mmio_read32(gicd + GICD_TYPER) & 0x1fU) + 1U;

	for (unsigned n = 1; n < regs; n++)
		mmio_write32(gicd + GICD_IGROUPR + 4U * n, ~0U); /* every SPI belongs to the OS */
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
}

void gic_cpu_ns_init(uintptr_t gicd, uintptr_t gicc, unsigned secure_sgi)
{
	mmio_write32(gicd + GICD_IGROUPR, ~(1U << secure_sgi)); /* this CPU's SGIs and PPIs */
	/* A Secure mask below 0x80 would make the OS's own PMR writes be ignored (IHI 0048B 3.6.1). */
	mmio_write32(gicc + GICC_PMR, 0xffU);
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_FIQ_EN);
}

void gic_cpu_ns_quiesce(uintptr_t gicc)
{
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_FIQ_EN);
}

void gic_ack_secure(uintptr_t gicc)
{
	for (;;) {
		uint32_t iar = mmio_read32(gicc + GICC_IAR);

		if ((iar & 0x3ffU) >= GIC_FIRST_SPECIAL)
			return;
		mmio_write32(gicc + GICC_EOIR, iar);
	}
}
