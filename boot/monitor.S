/* The Secure monitor: SMC and late-FIQ vectors, the exit to the Non-secure OS, and CPU_OFF's way back to the pen. */
#include <muster/asm.h>
#include <muster/platform.h>

#if PLAT_HAS_PSCI
	.syntax unified
	.arm
	.arch_extension sec
	.arch_extension virt

#define SCR_NS (1 << 0)  /* lower exception levels are Non-secure */
#define SCR_FIQ (1 << 2) /* FIQs (muster's Secure, Group 0 interrupts) go to the monitor */
#define SCR_AW (1 << 5)  /* the Non-secure side may mask asynchronous aborts */
#define SCR_HCE (1 << 8) /* HVC is enabled (Linux's HYP stub uses it) */

#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_V (1 << 13)
#define SCTLR_TE (1 << 30)

	.text
/*
 * monitor_vectors: MVBAR's table. Only SMC and FIQ arrive here (SCR.IRQ and SCR.EA are 0):
 * anything else is a bug and stops the CPU.
 */
	.balign 32
FUNC(monitor_vectors)
	b	monitor_stop			@ reset (not used at MVBAR)
	b	monitor_stop			@ undefined (never routed here)
	b	monitor_smc
	b	monitor_stop			@ prefetch abort (SCR.EA = 0)
	b	monitor_stop			@ data abort (SCR.EA = 0)
	b	monitor_stop
	b	monitor_stop			@ IRQ (SCR.IRQ = 0)
	b	monitor_fiq
ENDFUNC(monitor_vectors)

/*
 * monitor_stop: an exception the monitor never routes to itself.
 * In: anything. Out: never returns. Clobbers: nothing; needs no stack.
 */
LOCAL_FUNC(monitor_stop)
	wfi
	b	monitor_stop
ENDFUNC(monitor_stop)

/*
 * monitor_smc: SMC from the Non-secure side (SMC Calling Convention, SMC32).
 * In: r0 = function ID, r1-r3 = arguments; Monitor mode, A/I/F masked, sp = this CPU's monitor
 * stack (monitor_install), SCR.NS = 1. Out: r0 = result, r1-r3 = 0 (no Secure value leaks),
 * r4-r14 of the caller preserved, back to the caller's mode. Clobbers: nothing else.
 */
LOCAL_FUNC(monitor_smc)
	push	{r4-r12, lr}			@ 40 bytes: sp stays 8-byte aligned for C
	mrc	p15, 0, r4, c1, c1, 0		@ SCR
	bic	r4, r4, #SCR_NS			@ CP15 accesses in C use the Secure bank, as in the rest of muster
	mcr	p15, 0, r4, c1, c1, 0
	isb					@ the SCR change takes effect before the handler's first CP15 access
	bl	psci_smc_handler
	mrc	p15, 0, r4, c1, c1, 0
	orr	r4, r4, #SCR_NS			@ return to the Non-secure world
	mcr	p15, 0, r4, c1, c1, 0
	isb					@ SCR.NS is set before the exception return
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	pop	{r4-r12, lr}
	movs	pc, lr				@ CPSR from SPSR_mon: the caller's mode and state
ENDFUNC(monitor_smc)

/*
 * monitor_fiq: a Secure (Group 0) interrupt while the Non-secure OS ran: a muster wake-up that
 * arrived after its CPU had left the pen. Acknowledge it so it cannot fire again.
 * In: lr = interrupted address + 4; Monitor mode, sp = monitor stack. Out: resumes the OS.
 * Clobbers: nothing.
 */
LOCAL_FUNC(monitor_fiq)
	sub	lr, lr, #4
	push	{r0-r3, r12, lr}		@ what AAPCS lets C clobber, plus the return address
	bl	psci_monitor_fiq
	pop	{r0-r3, r12, lr}
	movs	pc, lr
ENDFUNC(monitor_fiq)

/*
 * monitor_install: point MVBAR at the monitor's table and give Monitor mode its stack.
 * In: r0 = monitor stack top (8-byte aligned); Secure SVC. Out: nothing. Clobbers: r1, r2.
 */
FUNC(monitor_install)
	ldr	r1, =monitor_vectors
	mcr	p15, 0, r1, c12, c0, 1		@ MVBAR
	mrs	r2, cpsr
	cps	#MODE_MON
	mov	sp, r0
	msr	cpsr_c, r2			@ back to the caller's mode
	isb					@ MVBAR is in effect before any SMC can arrive
	bx	lr
ENDFUNC(monitor_install)

/*
 * ns_enter: leave the Secure world for good, into the Non-secure OS.
 * In: r0 = entry (bit 0 set: Thumb), r1-r3 = the OS's r0-r2; Secure SVC, monitor installed,
 * this CPU's Non-secure setup done (psci.c). Out: never returns; the OS starts in Non-secure
 * HYP when the CPU has the Virtualization Extensions (ID_PFR1), else Non-secure SVC, with
 * A, I and F masked, MMU and caches off. FIQs belong to the monitor: with SCR.FIQ = 1 and
 * SCR.FW = 0 the Non-secure CPSR.F neither masks them nor can be changed.
 * Clobbers: everything; r3-r12 are zeroed so no Secure value leaks.
 */
FUNC(ns_enter)
	mov	r4, r0
	mov	r5, r1
	mov	r6, r2
	mov	r7, r3
	cps	#MODE_MON
	mrc	p15, 0, r8, c0, c1, 1		@ ID_PFR1
	ubfx	r8, r8, #12, #4			@ Virtualization: 0 = no HYP mode
	mov	r9, #(PSR_A | PSR_I | PSR_F | MODE_SVC)
	ldr	r10, =(SCR_NS | SCR_FIQ | SCR_AW)
	cmp	r8, #0
	movne	r9, #(PSR_A | PSR_I | PSR_F | MODE_HYP)
	orrne	r10, r10, #SCR_HCE
	tst	r4, #1
	orrne	r9, r9, #PSR_T
	bic	r4, r4, #1
	msr	spsr_cxsf, r9
	mcr	p15, 0, r10, c1, c1, 0		@ SCR: from here CP15 accesses reach the Non-secure bank
	isb					@ the SCR write takes effect before the banked writes below
	mrc	p15, 0, r11, c1, c0, 0		@ Non-secure SCTLR: a CPU back from CPU_OFF left its MMU on
	bic	r11, r11, #(SCTLR_M | SCTLR_A | SCTLR_C)
	bic	r11, r11, #SCTLR_V
	bic	r11, r11, #SCTLR_TE
	mcr	p15, 0, r11, c1, c0, 0
	cmp	r8, #0
	beq	1f
	mov	r11, #0
	mcr	p15, 4, r11, c1, c1, 0		@ HCR = 0: no traps into a HYP the OS has not set up
	mcrr	p15, 4, r11, r11, c14		@ CNTVOFF = 0 (UNKNOWN at reset; only HYP or here can set it)
	mov	r11, #3
	mcr	p15, 4, r11, c14, c1, 0		@ CNTHCTL: PL1 may use the physical counter and timer
1:	isb					@ the Non-secure system registers are set before the OS runs
	mov	lr, r4
	mov	r0, r5
	mov	r1, r6
	mov	r2, r7
	mov	r3, #0
	mov	r4, #0
	mov	r5, #0
	mov	r6, #0
	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
	mov	r10, #0
	mov	r11, #0
	mov	r12, #0
	movs	pc, lr				@ into the OS: CPSR from SPSR_mon
ENDFUNC(ns_enter)

/*
 * monitor_to_pen: CPU_OFF's way back. Drop the monitor frame and run fn(idx) in Secure SVC on a
 * fresh stack.
 * In: r0 = CPU index, r1 = SVC stack top, r2 = fn (never returns); Monitor mode, SCR.NS = 0
 * (monitor_smc cleared it). Out: never returns. Clobbers: everything.
 */
FUNC(monitor_to_pen)
	cps	#MODE_SVC
	mov	sp, r1
	blx	r2
	b	monitor_stop
ENDFUNC(monitor_to_pen)

	.ltorg
#endif /* PLAT_HAS_PSCI */

	.section .note.GNU-stack, "", %progbits
