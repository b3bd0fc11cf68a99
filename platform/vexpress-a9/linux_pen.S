/* vexpress's Linux SMP handoff: secondaries wait in RAM for SYS_FLAGS plus an IPI, as Linux expects. */
#include <muster/asm.h>
#include <board.h>

	.syntax unified
	.arm
	/* In RAM (copied with .data): while Linux runs, flash may be in CFI command mode. */
	.section .ramtext, "ax"

/*
 * plat_linux_secondary_pen: wait for Linux's release (arch/arm/mach-versatile/platsmp-vexpress.c:
 * it writes its secondary entry to SYS_FLAGS, then sends an SGI).
 * In: r0 = unused (the mailbox arg); SVC, IRQs masked, MMU off, this CPU's GIC interface enabled.
 * Out: branches to the address in SYS_FLAGS, with nothing active on this CPU's GIC interface;
 * never returns. Clobbers r0-r3.
 * Required: executes from RAM; CPU0 cleared SYS_FLAGS before releasing us here.
 */
FUNC(plat_linux_secondary_pen)
	ldr	r1, =V2M_SYSREGS_BASE
	ldr	r2, =A9_GICC_BASE
1:	ldr	r0, [r1, #V2M_SYS_FLAGSSET]	@ Linux's secondary entry, 0 until it writes one
	cmp	r0, #0
	bxne	r0
	dsb					@ our earlier stores complete before we sleep
	wfi
	ldr	r3, [r2, #0x0c]			@ GICC_IAR: acknowledge what woke us
	ubfx	r0, r3, #0, #10
	movw	r1, #1023
	cmp	r0, r1				@ spurious: nothing to complete
	beq	3f
	/*
	 * Complete it, then whatever is still active: a priority an OS left active before the reset
	 * (Linux's IPI_CPU_STOP never returns; QEMU's GIC reset keeps it behind our EOI) would mask
	 * this CPU's interrupts in the next Linux for good. As gic_complete() does, bounded by the
	 * GIC's 128 preemption levels; after a real reset the RPR reads idle at once.
	 */
	mov	r0, #128
2:	str	r3, [r2, #0x10]			@ GICC_EOIR
	ldr	r1, [r2, #0x14]			@ GICC_RPR: 0xff when nothing is active
	and	r1, r1, #0xff
	cmp	r1, #0xff
	beq	3f
	subs	r0, r0, #1
	bne	2b
3:	ldr	r1, =V2M_SYSREGS_BASE
	b	1b
	.ltorg
ENDFUNC(plat_linux_secondary_pen)

	.section .note.GNU-stack, "", %progbits
