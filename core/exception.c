/* Exceptions: a secondary records its fault in its own slot and stops; CPU0 reports and halts. */
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/layout.h>
#include <muster/smp.h>

extern void sleep_forever(void) __attribute__((noreturn));
extern const char probe_read8_access[], probe_read16_access[], probe_read32_access[],
	probe_write8_access[], probe_write16_access[], probe_write32_access[], probe_aborted[];

uint32_t probe_fault_address; /* DFAR of the last aborted probe, for the console's message */

static int is_probe(uint32_t pc)
{
	const char *const probes[] = { probe_read8_access,  probe_read16_access,  probe_read32_access,
				       probe_write8_access, probe_write16_access, probe_write32_access };

	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (pc == (uint32_t)(uintptr_t)probes[i])
			return 1;
	return 0;
}

static uint32_t fault_address(uint32_t type)
{
	uint32_t addr = 0;

	if (type == MBOX_FAULT_DABT)
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(addr)); /* DFAR */
	else if (type == MBOX_FAULT_PABT)
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(addr)); /* IFAR */
	return addr;
}

/* Per CPU: set while this CPU reports an exception, and once it reported a nested one. */
static volatile uint8_t reporting[PLAT_MAX_CPUS], nested_reported[PLAT_MAX_CPUS];

/*
 * An exception inside the report of another (the report faulted, e.g. in the library, or an
 * exception came from ABT/UND mode, where only this path runs): the first time, one fixed line
 * through the board's UART hook alone (no formatting, no library, CPU0 only); then park. A third
 * exception finds nested_reported set and parks at once, so nothing here can loop.
 */
static void __attribute__((noreturn)) exception_nested(int idx)
{
	if (!nested_reported[idx]) {
		nested_reported[idx] = 1;
		if (idx == 0)
			con_puts_raw("\r\nmuster: FATAL: cpu0 fault while reporting a fault; halted\r\n");
	}
	sleep_forever();
}

uint32_t exception_entry(uint32_t type, struct exc_frame *frame)
{
	int idx = cpu_index_of(read_mpidr());
	uint32_t mode = frame->spsr & 0x1fU;

	if (idx < 0) /* reset parks CPUs that are not the board's: not reached */
		sleep_forever();
	if (reporting[idx] || mode == 0x17U /* ABT */ || mode == 0x1bU /* UND */)
		exception_nested(idx);
	reporting[idx] = 1;

	uint32_t addr = fault_address(type);

	/* A console probe on CPU0 that aborted: report it to the caller instead of stopping. */
	if (idx == 0 && type == MBOX_FAULT_DABT && is_probe(frame->pc)) {
		probe_fault_address = addr;
		reporting[idx] = 0;
		return (uint32_t)(uintptr_t)probe_aborted;
	}
	if (fault_active(FAULT_REPORTER)) /* test build: the report itself faults */
		fault_data_abort();

	if (idx > 0) {
		/* Only our own status line: a faulted secondary touches nothing shared. */
		struct mbox_slot *slot = &mbox_slots[idx];
		/* Tag the fault with the generation in hand, as the last breadcrumb gives it; the
		 * breadcrumb itself stays: it says where the CPU stopped. */
		uint32_t gen = mbox_ack_gen(readl(&slot->st_stage));

		writel(type, &slot->st_fault);
		writel(frame->pc, &slot->st_fault_pc);
		writel(addr, &slot->st_fault_addr);
		/* writel's DMB: the fault record before the state that announces it. */
		writel(mbox_ack(gen, MBOX_STATE_FAULTED), &slot->st_ack);
		dsb(); /* the record is visible before we stop for good */
		sev();
		sleep_forever();
	}
	con_printf("\nmuster: FATAL: cpu0 %s at pc 0x%08lx, address 0x%08lx, spsr 0x%08lx\n",
		   smp_fault_name(type), (unsigned long)frame->pc, (unsigned long)addr,
		   (unsigned long)frame->spsr);
	con_puts("muster: halted\n");
	sleep_forever();
}
