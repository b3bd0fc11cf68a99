/* Layout of a standalone payload: one RAM image at PLAT_PAYLOAD_LOAD, entered at _start. */
#include <muster/platform.h> /* board.h plus the defaults of its optional constants */

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(_start)

SECTIONS
{
	. = PLAT_PAYLOAD_LOAD;
	.text : { KEEP(*(.text.start)) *(.text .text.*) }
	.rodata : ALIGN(4) { *(.rodata .rodata.*) }
	.ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) }
	.data : ALIGN(4) { *(.data .data.*) }
	.bss (NOLOAD) : ALIGN(64) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(4);
		__bss_end = .;
	}
	__payload_end = .;
}

ASSERT(_start == PLAT_PAYLOAD_LOAD, "the entry must be the load address")
ASSERT(__payload_end <= MUSTER_RAM_BASE || _start >= MUSTER_RAM_BASE + MUSTER_RAM_SIZE,
       "the payload would overlap muster's memory")
ASSERT(__bss_start % 4 == 0 && __bss_end % 4 == 0, "word-wise .bss clearing")
