/* Memory probes for the console: a load or store that may abort, reported instead of fatal. */
#include <muster/asm.h>

	.syntax unified
	.arm
	.text

/*
 * probe_read{8,16,32}(addr, out) / probe_write{8,16,32}(addr, value).
 * In: r0 = address, r1 = out pointer (reads) or value (writes). Any mode, stack not used.
 * Out: r0 = 0, or -1 when the access took a data abort (exception_entry sees the pc is one of
 *      the probe_access_* labels and resumes at probe_aborted with the registers as they were).
 * Clobbers: r2, flags.
 */
.macro PROBE name, insn
FUNC(\name)
	.global \name\()_access
\name\()_access:
	\insn
	mov	r0, #0
	bx	lr
ENDFUNC(\name)
.endm

	PROBE probe_read8, "ldrb r2, [r0]; strb r2, [r1]"
	PROBE probe_read16, "ldrh r2, [r0]; strh r2, [r1]"
	PROBE probe_read32, "ldr r2, [r0]; str r2, [r1]"
	PROBE probe_write8, "strb r1, [r0]"
	PROBE probe_write16, "strh r1, [r0]"
	PROBE probe_write32, "str r1, [r0]"

/*
 * probe_aborted: where a faulting probe resumes.
 * In: lr = the probe's caller (unchanged by the abort, which used the abort mode's lr).
 * Out: r0 = -1, back to the caller. Clobbers: nothing else.
 */
FUNC(probe_aborted)
	mvn	r0, #0
	bx	lr
ENDFUNC(probe_aborted)

	.section .note.GNU-stack, "", %progbits
