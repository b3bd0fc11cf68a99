/* One set of annotation macros for every assembly routine in muster. */
#ifndef MUSTER_ASM_H
#define MUSTER_ASM_H

#ifndef __ASSEMBLER__
#error "muster/asm.h is for assembly sources only"
#endif

/* FUNC(name) ... ENDFUNC(name): a global A32 function with ELF type and size. */
#define FUNC(name)                                                            \
	.global name;                                                         \
	.type name, %function;                                                \
	.balign 4;                                                            \
	name:

/* LOCAL_FUNC: the same, file-local. */
#define LOCAL_FUNC(name)                                                      \
	.type name, %function;                                                \
	.balign 4;                                                            \
	name:

#define ENDFUNC(name) .size name, . - name

/*
 * ZERO_BSS rcur, rend, rzero: zero the words of [__bss_start, __bss_end) (the image's linker
 * script aligns both to 4); needs no stack. Clobbers the three registers and the flags.
 */
.macro ZERO_BSS rcur, rend, rzero
	ldr	\rcur, =__bss_start
	ldr	\rend, =__bss_end
	mov	\rzero, #0
97:	cmp	\rcur, \rend
	strlo	\rzero, [\rcur], #4
	blo	97b
.endm

/* ARM processor modes (CPSR.M) and PSR bits used by the reset and monitor code. */
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_MON 0x16
#define MODE_UND 0x1b
#define MODE_HYP 0x1a
#define PSR_T 0x20
#define PSR_I 0x80
#define PSR_F 0x40
#define PSR_A 0x100

#endif
