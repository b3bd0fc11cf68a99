/* muster's memory layout: code and read-only data run in place from flash; RAM holds the rest. */
#include <muster/platform.h> /* board.h plus the defaults of its optional constants */
#include <muster/layout.h>
#include <muster/mailbox.h>

OUTPUT_FORMAT("elf32-littlearm")
OUTPUT_ARCH(arm)
ENTRY(vectors)

MEMORY
{
	FLASH (rx) : ORIGIN = MUSTER_FLASH_BASE, LENGTH = MUSTER_FLASH_SIZE
	RAM (rwx) : ORIGIN = MUSTER_RAM_BASE, LENGTH = MUSTER_RAM_SIZE
}

SECTIONS
{
	.vectors : { KEEP(*(.vectors)) } > FLASH
	.text : { *(.text .text.*) } > FLASH
	.rodata : ALIGN(4) { *(.rodata .rodata.*) } > FLASH
	.ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) } > FLASH

	/* First in RAM, at a fixed address payloads can find: never loaded, never zeroed. */
	.mailbox (NOLOAD) : ALIGN(MBOX_LINE_SIZE) {
		__mailbox_start = .;
		KEEP(*(.mailbox))
		__mailbox_end = .;
	} > RAM

	/* .ramtext: code that must run from RAM (cores parked while flash may be reprogrammed). */
	.data : ALIGN(4) {
		__data_start = .;
		*(.ramtext .ramtext.*)
		*(.data .data.*)
		. = ALIGN(4);
		__data_end = .;
	} > RAM AT > FLASH
	__data_load = LOADADDR(.data);

	.bss (NOLOAD) : ALIGN(4) {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(4);
		__bss_end = .;
	} > RAM

	/* Per-CPU stacks: outside .bss, because secondaries use theirs while CPU0 zeroes .bss. */
	.stacks (NOLOAD) : ALIGN(MBOX_LINE_SIZE) {
		__stacks_start = .;
		. += PLAT_MAX_CPUS * CPU_STACK_SIZE;
		__stacks_end = .;
	} > RAM
	cpu_stacks = __stacks_start; /* the same, under a name C may declare (smp/psci.c) */

	__flash_image_end = LOADADDR(.data) + SIZEOF(.data);
}

ASSERT(ADDR(.vectors) == MUSTER_FLASH_BASE, "the vectors must sit at the reset address")
ASSERT(ADDR(.vectors) % 32 == 0, "VBAR holds the vectors' address with bits [4:0] zero")
ASSERT(__mailbox_start == MUSTER_RAM_BASE, "the mailbox must sit at MUSTER_RAM_BASE (payload ABI)")
ASSERT(__mailbox_end - __mailbox_start == PLAT_MAX_CPUS * MBOX_SLOT_SIZE, "one slot per CPU")
ASSERT(__mailbox_start % MBOX_LINE_SIZE == 0, "slots must be cache-line aligned")
ASSERT(__flash_image_end <= MUSTER_FLASH_BASE + MUSTER_FLASH_SIZE, "muster outgrew its flash")
ASSERT(__stacks_end <= MUSTER_RAM_BASE + MUSTER_RAM_SIZE, "muster outgrew its RAM")
ASSERT(__stacks_start % 8 == 0, "AAPCS stack alignment")
ASSERT(__data_start % 4 == 0 && __bss_start % 4 == 0, "word copy and zero loops")
#if PLAT_MUSTER_MEMORY_SECURE
/* Everything in RAM (mailbox, .data with .ramtext, .bss, stacks) in the Secure-only RAM. */
ASSERT(__mailbox_start >= PLAT_SECURE_RAM_BASE && __stacks_end <= PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE,
       "the board says muster's memory is Secure-only: its RAM must lie in PLAT_SECURE_RAM_*")
ASSERT(__stacks_end <= PLAT_RAM_BASE || __mailbox_start >= PLAT_RAM_BASE + PLAT_RAM_SIZE,
       "muster's Secure RAM must not overlap the payloads' RAM")
#endif
