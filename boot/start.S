/* Reset and exception vectors: every CPU enters here; CPU0 goes on to C, secondaries to their pen. */
#include <muster/asm.h>
#include <muster/cpu.h>
#include <muster/layout.h>
#include <muster/mailbox.h>
#include <muster/platform.h>

	.syntax unified
	.arm
	.section .vectors, "ax"

/*
 * vectors: the exception table, linked at MUSTER_FLASH_BASE (the reset address) and installed
 * there by reset below (SCTLR.V = 0, VBAR = its address). That address is 0 on the NOR boards but
 * not everywhere (on-chip RAM elsewhere): VBAR = 0 would send every exception into whatever lies
 * at 0, and a secondary's fault would never reach its slot. 32-byte aligned (VBAR[4:0] are RES0;
 * linker/muster.ld.S checks it).
 * In: CPU state as the exception left it. Out: never returns to the faulting code.
 */
FUNC(vectors)
	b	reset
	b	exc_undef
	b	exc_svc
	b	exc_pabt
	b	exc_dabt
	b	exc_unused
	b	exc_irq
	b	exc_fiq
ENDFUNC(vectors)

	.text

/*
 * reset: the first instruction every CPU runs.
 * In: nothing; required state: MMU and caches off (reset), no stack, any mode.
 * Out: CPU0 calls muster_main(); a secondary calls secondary_main(index). Neither returns.
 * Clobbers: everything. A CPU whose MPIDR is not one of the board's cores sleeps forever.
 */
FUNC(reset)
	cpsid	aif, #MODE_SVC			@ SVC, all exceptions masked
	mrc	p15, 0, r0, c1, c0, 0		@ SCTLR
	bic	r0, r0, #(1 << 0)		@ M: MMU off
	bic	r0, r0, #(1 << 2)		@ C: data cache off (slots are read uncached)
	bic	r0, r0, #(1 << 13)		@ V: vectors at VBAR, not 0xffff0000
	orr	r0, r0, #(1 << 1)		@ A: a misaligned access faults on every core and emulator
	mcr	p15, 0, r0, c1, c0, 0
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR = this table, wherever the board links it
	isb					@ the SCTLR/VBAR writes take effect before we go on

	mrc	p15, 0, r5, c0, c0, 5		@ r5 = MPIDR
	CPU_INDEX r4, r5, r1			@ r4 = dense CPU index or ~0
	cmn	r4, #1
	beq	sleep_forever

	/* This CPU's stack block: [__stacks_start + idx * SIZE, + SIZE). */
	ldr	r1, =__stacks_start
	mov	r2, #CPU_STACK_SIZE
	mla	r1, r4, r2, r1
	add	r1, r1, #CPU_STACK_SIZE		@ r1 = SVC stack top
	sub	r2, r1, #SVC_STACK_SIZE		@ r2 = exception stack top
	cps	#MODE_ABT
	mov	sp, r2
	cps	#MODE_UND
	mov	sp, r2
	cps	#MODE_IRQ
	mov	sp, r2
	cps	#MODE_FIQ
	mov	sp, r2
	cps	#MODE_SVC
	mov	sp, r1

	cmp	r4, #0
	beq	primary
	mov	r0, r4
	bl	secondary_main			@ does not return
	b	sleep_forever

primary:
	/* .data from its flash image, then .bss zeroed. Secondaries touch neither. */
	ldr	r0, =__data_start
	ldr	r1, =__data_load
	ldr	r2, =__data_end
1:	cmp	r0, r2
	ldrlo	r3, [r1], #4
	strlo	r3, [r0], #4
	blo	1b
	ZERO_BSS r0, r1, r2
	bl	muster_main			@ does not return
	b	sleep_forever
ENDFUNC(reset)

/*
 * sleep_forever: park this CPU for good.
 * In: nothing. Out: never returns. Clobbers: nothing; needs no stack.
 */
FUNC(sleep_forever)
	wfi
	b	sleep_forever
ENDFUNC(sleep_forever)

/*
 * EXC_STUB name, type, lr_adjust: save a struct exc_frame on the mode's stack and call
 * exception_entry(type, frame), which returns a resume address or 0.
 * In: lr = exception return address; sp = this CPU's exception stack (set at reset).
 * Out: with 0, never returns; otherwise restores r0-r12 and the SPSR and resumes at the given
 * address (a console probe's recovery). Clobbers: nothing on the resume path.
 */
.macro EXC_STUB name, type, lr_adjust
LOCAL_FUNC(\name)
	sub	lr, lr, #\lr_adjust		@ lr = address of the faulting instruction
	sub	sp, sp, #4			@ pad: the 60-byte frame leaves sp 8-byte aligned for C
	push	{lr}				@ frame.pc
	push	{r0-r12}			@ frame.r[]
	mrs	r0, spsr
	push	{r0}				@ frame.spsr
	mov	r0, #\type
	mov	r1, sp
	bl	exception_entry
	cmp	r0, #0
	beq	sleep_forever
	str	r0, [sp, #EXC_FRAME_PC]		@ resume there instead
	pop	{r0}
	msr	spsr_cxsf, r0
	pop	{r0-r12}
	pop	{lr}
	add	sp, sp, #4			@ the alignment pad
	movs	pc, lr				@ resume; CPSR from SPSR
ENDFUNC(\name)
.endm

	EXC_STUB exc_undef, MBOX_FAULT_UNDEF, 4
	EXC_STUB exc_svc, MBOX_FAULT_SVC, 4
	EXC_STUB exc_pabt, MBOX_FAULT_PABT, 4
	EXC_STUB exc_dabt, MBOX_FAULT_DABT, 8
	EXC_STUB exc_unused, MBOX_FAULT_UNDEF, 4
	EXC_STUB exc_irq, MBOX_FAULT_IRQ, 4
	EXC_STUB exc_fiq, MBOX_FAULT_FIQ, 4

	.section .note.GNU-stack, "", %progbits
