/* PSCI test payload entry points: the boot CPU's Linux-style entry, the CPU_ON entry, the conduit and the vectors. */
#include <muster/asm.h>

#include "psci-test.h"

	.syntax unified
	.arm

#ifdef PSCI_TEST_HVC
#define CONDUIT hvc
#else
#define CONDUIT smc
#endif

	.section .text.start, "ax"

/*
 * _start: the boot CPU, entered as Linux is.
 * In: r0 = 0, r1 = machine type, r2 = DTB; Non-secure SVC or HYP, MMU and caches off, A/I/F masked.
 * Out: never returns (boot_main ends in SYSTEM_OFF).
 * Clobbers: everything; zeroes .bss (the shared status words included) before any CPU_ON.
 */
FUNC(_start)
	mrs	r4, cpsr			@ entry state, before leave_hyp changes it: for the report
	mrc	p15, 0, r5, c1, c0, 0		@ SCTLR at entry (from HYP too: the PL1 one the OS inherits)
	mov	r6, r0
	mov	r7, r2
	bl	leave_hyp
	ZERO_BSS r0, r1, r2
	bl	cpu_stack_top
	cmp	r0, #0
	beq	park
	mov	sp, r0
	bl	set_vectors
	mov	r0, r4
	mov	r1, r5
	mov	r2, r6
	mov	r3, r7
	bl	boot_main
	b	park
ENDFUNC(_start)

	.text

/*
 * secondary_entry: where CPU_ON starts a secondary (its address is the entry_point_address).
 * In: r0 = context_id; Non-secure SVC or HYP, MMU and caches off.
 * Out: never returns: secondary_main ends in CPU_OFF.
 * Clobbers: everything; uses only this CPU's own stack.
 */
FUNC(secondary_entry)
	mrs	r4, cpsr			@ entry state as PSCI set it up, checked by the boot CPU
	mrc	p15, 0, r5, c1, c0, 0		@ SCTLR at entry
	mov	r6, r0
	bl	leave_hyp
	bl	cpu_stack_top
	cmp	r0, #0
	beq	park				@ an Aff0 we have no stack for: stay out of the way
	mov	sp, r0
	bl	set_vectors
	mov	r0, r6
	mov	r1, r4
	mov	r2, r5
	bl	secondary_main
ENDFUNC(secondary_entry)

/* park: sleep forever. In: nothing. Never returns. */
LOCAL_FUNC(park)
	wfi
	b	park
ENDFUNC(park)

/*
 * leave_hyp: in HYP, drop to SVC as Linux does; in SVC, return at once.
 * In: lr = return address. Out: SVC with A/I/F masked, HCR = 0 (no traps, SMC reaches the
 * monitor), CNTHCTL lets PL1 read the physical counter. Clobbers: r0.
 */
LOCAL_FUNC(leave_hyp)
	mrs	r0, cpsr
	and	r0, r0, #PT_MODE_MASK
	cmp	r0, #PT_MODE_HYP
	bxne	lr
	ldr	r0, =hyp_vectors
	mcr	p15, 4, r0, c12, c0, 0		@ HVBAR: a fault in here says so instead of jumping anywhere
	isb					@ the new HYP vector base before the accesses that might fault
	mov	r0, #0
	mcr	p15, 4, r0, c1, c1, 0		@ HCR: no hypervisor traps
	mrc	p15, 4, r0, c14, c1, 0		@ CNTHCTL
	orr	r0, r0, #3			@ PL1PCTEN | PL1PCEN: SVC may read CNTPCT
	mcr	p15, 4, r0, c14, c1, 0
	mov	r0, #(PT_MODE_SVC | PT_PSR_A | PT_PSR_I | PT_PSR_F)
	msr	spsr_cxsf, r0			@ SPSR_hyp (the banked form is not usable from HYP itself)
	msr	elr_hyp, lr
	eret					@ context-synchronizing: HCR and CNTHCTL apply in SVC
ENDFUNC(leave_hyp)

/*
 * cpu_stack_top: this CPU's stack, indexed by MPIDR Aff0.
 * In: nothing. Out: r0 = stack top, or 0 when Aff0 >= PT_MAX_CPUS. Clobbers: r1.
 */
LOCAL_FUNC(cpu_stack_top)
	mrc	p15, 0, r0, c0, c0, 5		@ MPIDR
	and	r0, r0, #0xff
	cmp	r0, #PT_MAX_CPUS
	movhs	r0, #0
	bxhs	lr
	ldr	r1, =__stacks_start
	add	r0, r0, #1
	add	r0, r1, r0, lsl #PT_STACK_SHIFT
	bx	lr
ENDFUNC(cpu_stack_top)

/*
 * set_vectors: take this CPU's PL1 exceptions at our table (VBAR is per CPU and unknown at entry).
 * In: nothing. Out: VBAR = vectors, SCTLR.V = 0. Clobbers: r0.
 */
LOCAL_FUNC(set_vectors)
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #(1 << 13)		@ SCTLR.V = 0: vectors at VBAR, not 0xffff0000
	mcr	p15, 0, r0, c1, c0, 0
	isb					@ the new vector base before any exception can be taken
	bx	lr
ENDFUNC(set_vectors)

/*
 * psci_call: one PSCI call through the build's conduit (smc, or hvc with PSCI_CONDUIT=hvc).
 * In: r0 = function ID, r1-r3 = arguments. Out: r0 = result.
 * Clobbers: r1-r3 (SMCCC lets the callee return values there); r4-r14 are preserved by SMCCC.
 */
FUNC(psci_call)
	CONDUIT	#0
	bx	lr
ENDFUNC(psci_call)

/*
 * psci_preserve_probe: a PSCI call with r4-r12 and lr holding known patterns, to see that the
 * callee preserves them (SMCCC: r4-r14 unchanged).
 * In: r0 = function ID, r1-r3 = arguments. Out: r0 = mask of the registers the call changed
 * (bit n = rn: r4-r12, sp = 13, lr = 14); sp is restored from memory before returning either way.
 * Clobbers: r1-r3, r12. Boot CPU only (probe_sp is one word).
 */
FUNC(psci_preserve_probe)
	push	{r4-r11, lr}
	ldr	r12, =probe_sp
	str	sp, [r12]
/* PATTERN(n): a value no register holds by chance, different for each register number n. */
#define PATTERN(n) ((n) | ((0xa0 | (n)) << 8) | ((0xa0 | (n)) << 16) | ((n) << 24))
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
	ldr	r\n, =PATTERN(\n)
	.endr
	CONDUIT	#0
	mov	r1, #0
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
	ldr	r2, =PATTERN(\n)
	cmp	r\n, r2
	orrne	r1, r1, #(1 << \n)
	.endr
	ldr	r2, =probe_sp
	ldr	r2, [r2]
	cmp	sp, r2
	orrne	r1, r1, #(1 << 13)
	mov	sp, r2				@ whatever the call did to sp, our frame is below this
	mov	r0, r1
	pop	{r4-r11, pc}
ENDFUNC(psci_preserve_probe)

/*
 * smc_checked: one call through the conduit, any CPU, with r4-r12 and lr holding known patterns,
 * to see what the callee hands back and what it leaves alone (SMCCC: r4-r14 preserved).
 * In: r0 = &in[4] {function ID, a1, a2, a3}, r1 = &out[4] (r0-r3 after the call).
 * Out: out[] written; r0 = mask of the registers the call changed (bit n = rn: r4-r12, 13 = sp,
 * 14 = lr). sp survives the call in TPIDRPRW (this CPU's Non-secure PL1 scratch register, which
 * nothing else here uses), so no register is trusted to come back intact.
 * Clobbers: r1-r3, r12.
 */
FUNC(smc_checked)
	push	{r4-r11, lr}
	push	{r1}				@ &out, reloaded from the stack after the call
	mcr	p15, 0, sp, c13, c0, 4		@ TPIDRPRW = sp
	ldm	r0, {r0-r3}
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
	ldr	r\n, =PATTERN(\n)
	.endr
	CONDUIT	#0
	mcr	p15, 0, r0, c13, c0, 2		@ TPIDRURW = the result r0, while r0 restores sp
	mrc	p15, 0, r0, c13, c0, 4
	cmp	r0, sp
	mov	sp, r0				@ our frame again, whatever the call did to sp
	movne	r0, #(1 << 13)
	moveq	r0, #0
	push	{r1-r3}
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
	ldr	r1, =PATTERN(\n)
	cmp	r\n, r1
	orrne	r0, r0, #(1 << \n)
	.endr
	pop	{r1-r3}
	ldr	r12, [sp]			@ &out
	mrc	p15, 0, r4, c13, c0, 2		@ the call's r0
	str	r4, [r12]
	str	r1, [r12, #4]
	str	r2, [r12, #8]
	str	r3, [r12, #12]
	add	sp, sp, #4
	pop	{r4-r11, pc}
ENDFUNC(smc_checked)

/*
 * probe_read, probe_write: one word access that may take a data abort, for the Secure-memory
 * check. The boot CPU only, while no other CPU of ours runs: the abort handler (vec_dabt)
 * recognises a probe by probe_armed alone.
 * In: r0 = word-aligned address; probe_read: r1 = where to store the word read; probe_write:
 * r1 = the word to store. Out: r0 = 0 if the access completed, 1 if it took a data abort,
 * synchronous or asynchronous (CPSR.A is opened after the access, so a pending asynchronous
 * abort, as silicon often reports a refused write, is taken inside the probe); then
 * probe_dfsr and probe_dfar hold DFSR and DFAR. Clobbers: r1-r3.
 */
FUNC(probe_read)
	ldr	r3, =probe_armed
	mov	r2, #1
	str	r2, [r3]
	dsb					@ armed before the access that may abort
	ldr	r2, [r0]
	str	r2, [r1]
	b	probe_settle
ENDFUNC(probe_read)

FUNC(probe_write)
	ldr	r3, =probe_armed
	mov	r2, #1
	str	r2, [r3]
	dsb					@ armed before the access that may abort
	str	r1, [r0]
	b	probe_settle
ENDFUNC(probe_write)

/*
 * probe_settle: the probes' common tail. In: r3 = &probe_armed. Out: r0 = 0, or 1 from the abort
 * handler, which resumes at probe_done with r3 = &probe_armed. Clobbers: r2.
 */
LOCAL_FUNC(probe_settle)
	dsb					@ the access completes: an external abort on it is now taken or pending
	cpsie	a				@ a pending asynchronous abort is taken here...
	isb					@ ...before this point
	mov	r0, #0
probe_done:
	cpsid	a				@ closed again, also after an abort taken while it was open
	mov	r2, #0
	str	r2, [r3]			@ disarmed
	bx	lr
ENDFUNC(probe_settle)

	.bss
	.balign 4
probe_sp:
	.space	4
probe_armed:
	.space	4
	.global	probe_dfsr, probe_dfar
probe_dfsr:
	.space	4
probe_dfar:
	.space	4

/*
 * The exception vectors (VBAR): any exception is a test failure. Each stub passes its number;
 * exception_common moves to SVC (the CPU's own stack) and reports.
 * In: lr and SPSR of the exception. Out: never returns. Clobbers: everything.
 */
	.text
	.balign 32
vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_hyp
	b	vec_irq
	b	vec_fiq
vec_reset:
	mov	r0, #0
	b	exception_common
vec_undef:
	mov	r0, #1
	b	exception_common
vec_svc:
	mov	r0, #2
	b	exception_common
vec_pabt:
	mov	r0, #3
	b	exception_common
vec_dabt:
	/*
	 * A data abort. During a probe: record DFSR and DFAR and resume the probe with r0 = 1.
	 * Otherwise a failure like any other exception. In: Abort mode. Clobbers: r0, r2, r3 (the
	 * probe's contract) and sp_abt, which is no stack here: it holds r3 for a moment.
	 */
	mov	sp, r3
	ldr	r3, =probe_armed
	ldr	r3, [r3]
	cmp	r3, #0
	mov	r3, sp
	moveq	r0, #4
	beq	exception_common
	mrc	p15, 0, r2, c5, c0, 0		@ DFSR
	ldr	r3, =probe_dfsr
	str	r2, [r3]
	mrc	p15, 0, r2, c6, c0, 0		@ DFAR
	ldr	r3, =probe_dfar
	str	r2, [r3]
	ldr	r3, =probe_armed
	mov	r0, #1
	ldr	lr, =probe_done
	movs	pc, lr				@ back into the probe, in its mode: CPSR from SPSR_abt
vec_hyp:
	mov	r0, #5
	b	exception_common
vec_irq:
	mov	r0, #6
	b	exception_common
vec_fiq:
	mov	r0, #7
exception_common:
	mov	r1, lr				@ the exception's return address
	mrs	r2, spsr			@ the interrupted CPSR
	cps	#PT_MODE_SVC			@ the CPU's own stack, whichever mode took the exception
	bl	psci_test_exception
	b	park

/*
 * HYP vectors, used only while leave_hyp runs: any exception there prints one line and parks.
 * In: nothing usable. Out: never returns. Clobbers: r0-r3.
 */
	.balign 32
hyp_vectors:
	.rept	8
	b	hyp_exception
	.endr
hyp_exception:
	adr	r1, hyp_message
	ldr	r2, =PLAT_CONSOLE_PL011_BASE
1:	ldrb	r0, [r1], #1
	cmp	r0, #0
	beq	park
2:	ldr	r3, [r2, #0x18]			@ UARTFR
	tst	r3, #0x20			@ TXFF: wait while the FIFO is full
	bne	2b
	str	r0, [r2]			@ UARTDR
	b	1b
hyp_message:
	.asciz	"psci-test: exception in HYP mode: FAIL while leaving HYP\r\n"
	.balign	4

	.section .note.GNU-stack, "", %progbits
