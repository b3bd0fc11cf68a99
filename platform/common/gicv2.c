/* GICv2 distributor and CPU interface: enable, send an SGI, acknowledge what woke us. */
#include <stdbool.h>

#include <muster/arch.h>

#include "gicv2.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14    /* running priority: 0xff when nothing is active */
#define GICC_APR0 0xd0   /* GICv2 only: the active priorities, 4 registers, reset value 0 */
#define GICC_NSAPR0 0xe0 /* GICv2 with Security Extensions: the Non-secure ones (Secure access) */
#define GICC_IIDR 0xfc
#define GIC_APR_REGS 4U
#define GIC_RPR_IDLE 0xffU
/* At most one active interrupt per preemption level: 4 APRs of 32 levels. */
#define GIC_ACTIVE_LEVELS (GIC_APR_REGS * 32U)
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

/* GICC_IIDR.ArchitectureVersion, bits [19:16] (IHI 0048B): 1 on the Cortex-A9's GIC (GICv1). */
static bool gic_is_v2(uintptr_t gicc)
{
	return ((mmio_read32(gicc + GICC_IIDR) >> 16) & 0xfU) >= 2U;
}

void gic_cpu_clear_active(uintptr_t gicc)
{
	if (!gic_is_v2(gicc))
		return; /* GICv1 has no APRs: gic_complete() drains what an acknowledge reveals */
	/* Their reset value; Linux writes the same to its own view (irq-gic.c, gic_cpu_if_up). */
	for (unsigned n = 0; n < GIC_APR_REGS; n++) {
		mmio_write32(gicc + GICC_APR0 + 4U * n, 0);
		mmio_write32(gicc + GICC_NSAPR0 + 4U * n, 0); /* RAZ/WI without Security Extensions */
	}
}

void gic_cpu_enable(uintptr_t gicc)
{
	gic_cpu_clear_active(gicc);
	mmio_write32(gicc + GICC_PMR, GIC_PRIO_LOWEST_UNMASKED); /* SGIs reset to priority 0: unmasked */
	mmio_write32(gicc + GICC_CTLR, 1);
}

/*
 * Complete the interrupt we acknowledged (iar), then anything still active on this interface.
 * Only for a CPU that is muster's alone (its pens, interrupts masked, one acknowledge at a time):
 * after our EOI nothing of ours is active, so a running priority that is not idle was left by
 * software before a reset that did not clear it. Linux's IPI_CPU_STOP handler never returns, so a
 * CPU it stopped for a reboot keeps that SGI active; QEMU's GIC reset (7.2 and 10) clears the
 * running priority but not the active priorities behind it, so our first EOI brings the stale one
 * back, and every interrupt the next OS gives that priority would be masked on this CPU for good.
 * GICv1 cannot clear it any other way (no APRs); an EOI drops the highest active priority.
 * After a real reset the loop never runs (nothing is active).
 */
static void gic_complete(uintptr_t gicc, uint32_t iar)
{
	mmio_write32(gicc + GICC_EOIR, iar);
	for (unsigned n = 0;
	     n < GIC_ACTIVE_LEVELS && (mmio_read32(gicc + GICC_RPR) & 0xffU) != GIC_RPR_IDLE; n++)
		mmio_write32(gicc + GICC_EOIR, iar);
}

void gic_send_sgi(uintptr_t gicd, unsigned target_cpu_if, unsigned sgi)
{
	/* TargetListFilter 0: the CPUTargetList field names the target. */
	mmio_write32(gicd + GICD_SGIR, ((1U << target_cpu_if) << 16) | (sgi & 0xfU));
}

void gic_enable_ppi(uintptr_t gicd, unsigned id)
{
	/* GICD_ISENABLER0 is banked per CPU: SGIs and PPIs (IDs 0-31) of the CPU that writes it. */
	mmio_write32(gicd + GICD_ISENABLER, 1U << (id & 31U));
}

unsigned gic_wait_interrupt(uintptr_t gicc)
{
	dsb(); /* our status stores complete before we sleep */
	wfi();
	uint32_t iar = mmio_read32(gicc + GICC_IAR);

	/* An SGI left pending would end every later WFI at once: acknowledge and complete it. */
	if ((iar & 0x3ffU) != GIC_SPURIOUS)
		gic_complete(gicc, iar);
	return iar & 0x3ffU;
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

void gic_cpu_ns_init(uintptr_t gicd, uintptr_t gicc, uint32_t secure_ids)
{
	mmio_write32(gicd + GICD_IGROUPR, ~secure_ids); /* this CPU's SGIs and PPIs */
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
