/* Layout of the PSCI test payload: one RAM image at the Linux load address, entered at _start. */
#include <muster/platform.h> /* board.h plus the defaults of its optional constants */
#include "psci-test.h"

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(_start)

SECTIONS
{
	. = PLAT_LINUX_LOAD;
	.text : { KEEP(*(.text.start)) *(.text .text.*) }
	.rodata : ALIGN(4) { *(.rodata .rodata.*) }
	.ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) }
	.data : ALIGN(4) { *(.data .data.*) }
	/* Zeroed by the boot CPU before any CPU_ON: the shared status lines start clean. */
	.bss (NOLOAD) : ALIGN(64) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(64);
		__bss_end = .;
	}
	/* One stack per CPU, by MPIDR Aff0; never zeroed. */
	.stacks (NOLOAD) : ALIGN(64) {
		__stacks_start = .;
		. += PT_MAX_CPUS * PT_STACK_SIZE;
		__stacks_end = .;
	}
	__payload_end = .;
}
payload_end = __payload_end; /* the same, under a name C may declare (psci-test.c, the fill) */

ASSERT(_start == PLAT_LINUX_LOAD, "the entry must be the load address, as for a Linux image")
ASSERT(__payload_end <= MUSTER_RAM_BASE || _start >= MUSTER_RAM_BASE + MUSTER_RAM_SIZE,
       "the payload would overlap muster's memory")
ASSERT(__payload_end <= PLAT_LINUX_INITRD_ADDR, "the payload would overlap the initrd area")
ASSERT(__payload_end <= PLAT_LINUX_DTB_ADDR, "the payload would overlap the device tree muster loads")
ASSERT(__bss_start % 4 == 0 && __bss_end % 4 == 0, "word-wise .bss clearing")
ASSERT(__stacks_start % 8 == 0, "AAPCS stack alignment")
