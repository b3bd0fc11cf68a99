/* Per-CPU stacks and the exception frame: layouts shared by boot/start.S and C. */
#ifndef MUSTER_LAYOUT_H
#define MUSTER_LAYOUT_H

/* Each CPU owns CPU_STACK_SIZE bytes: SVC stack on top, one exception-mode stack below it. */
#define CPU_STACK_SIZE 0x1000
#define SVC_STACK_SIZE 0x0c00

/* struct exc_frame as boot/start.S pushes it: spsr, r0-r12, then the faulting pc. */
#define EXC_FRAME_SPSR 0
#define EXC_FRAME_R0 4
#define EXC_FRAME_PC 56
#define EXC_FRAME_SIZE 60

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct exc_frame {
	uint32_t spsr;
	uint32_t r[13];
	uint32_t pc;
};

_Static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "frame as start.S builds it");
_Static_assert(offsetof(struct exc_frame, spsr) == EXC_FRAME_SPSR, "frame as start.S builds it");
_Static_assert(offsetof(struct exc_frame, r) == EXC_FRAME_R0, "frame as start.S builds it");
_Static_assert(offsetof(struct exc_frame, pc) == EXC_FRAME_PC, "frame as start.S builds it");
_Static_assert(CPU_STACK_SIZE % 8 == 0 && SVC_STACK_SIZE % 8 == 0, "AAPCS stack alignment");
_Static_assert(SVC_STACK_SIZE < CPU_STACK_SIZE, "room for the exception stack");

/* Called from the vectors with the frame: returns where to resume (a probe's recovery), or 0. */
uint32_t exception_entry(uint32_t type, struct exc_frame *frame);
#endif

#endif
