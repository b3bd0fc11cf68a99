/* A secondary's life after reset: new epoch, interrupt interface, then the pen, forever. */
#include <muster/arch.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/smp.h>

void secondary_main(unsigned idx) __attribute__((noreturn));

/*
 * Called by boot/start.S with this CPU's stack set and nothing else: it has not read or written
 * any RAM but its own stack. From here on it writes only its own status line until PROCEED.
 */
void secondary_main(unsigned idx)
{
	struct mbox_slot *slot = &mbox_slots[idx];

	pen_reset(slot, read_mpidr());
	fault_point(idx, MBOX_STAGE_RESET);
	plat_secondary_init();
	pen_stage(slot, 0, MBOX_STAGE_PEN);
	fault_point(idx, MBOX_STAGE_PEN);
	secondary_pen(idx);
}

void secondary_pen(unsigned idx)
{
	struct mbox_slot *slot = &mbox_slots[idx];
	uint32_t epoch = readl(&slot->st_epoch); /* our own word: pen_reset wrote it this boot */

	for (;;) {
		struct mbox_cmd cmd = pen_wait(slot, epoch, idx);

		pen_stage(slot, cmd.gen, MBOX_STAGE_ENTRY);
		sctlr_alignment_check(0); /* the entry gets SCTLR.A at its reset value */
		((void (*)(uint32_t))(uintptr_t)cmd.entry)(cmd.arg);
		sctlr_alignment_check(1);
		secondary_entry_done(idx);
	}
}

void secondary_entry_done(unsigned idx)
{
	struct mbox_slot *slot = &mbox_slots[idx];
	/* The generation we acknowledged (ONLINE) before running the entry. */
	uint32_t gen = mbox_ack_gen(readl(&slot->st_ack));

	writel(mbox_ack(gen, MBOX_STATE_PARKED), &slot->st_ack); /* after all of the entry's accesses */
	pen_stage(slot, gen, MBOX_STAGE_PEN);
}
