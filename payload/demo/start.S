/* Entry of the SMP demo payload: zero its .bss, then run demo_main on muster's stack. */
#include <muster/asm.h>

	.syntax unified
	.arm
	.section .text.start, "ax"

/*
 * _start: called by muster as a function.
 * In: r0 = struct muster_bootinfo *, lr = return address into muster; SVC, IRQs masked,
 *     MMU/caches off, sp = muster's CPU0 stack.
 * Out: r0 = demo_main's result, back to muster (which prints "boot: payload returned").
 * Clobbers: r0-r3, r12 (AAPCS), and the payload's .bss.
 */
FUNC(_start)
	ZERO_BSS r1, r2, r3
	b	demo_main			@ tail call: demo_main returns to muster
ENDFUNC(_start)

	.section .note.GNU-stack, "", %progbits
