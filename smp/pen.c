/* The secondary's side of the handshake: park, validate, arrive, await the verdict, acknowledge. */
#include <muster/fault.h>
#include <muster/smp.h>

void pen_stage(struct mbox_slot *slot, uint32_t gen, uint32_t stage)
{
	writel(mbox_ack(gen, stage), &slot->st_stage); /* breadcrumb after the work it records */
}

uint32_t pen_reset(struct mbox_slot *slot, uint32_t mpidr)
{
	/* Whatever the line held (an earlier boot, garbage), the new epoch differs from it, so no
	 * command addressed to an earlier boot of this CPU can match. */
	uint32_t epoch = readl(&slot->st_epoch) + 1U;

	writel(0, &slot->st_magic); /* withdraw the line while it is rewritten */
	writel(epoch, &slot->st_epoch);
	writel(mbox_ack(0, MBOX_STATE_PARKED), &slot->st_ack);
	writel(mbox_ack(0, MBOX_STAGE_RESET), &slot->st_stage);
	writel(mpidr, &slot->st_mpidr);
	writel(0, &slot->st_wakeups);
	writel(0, &slot->st_fault);
	writel(0, &slot->st_fault_pc);
	writel(0, &slot->st_fault_addr);
	writel(MBOX_ST_VALID, &slot->st_magic); /* writel's DMB: the fields before the magic */
	return epoch;
}

bool pen_take(struct mbox_slot *slot, uint32_t epoch, struct mbox_cmd *cmd)
{
	if (readl(&slot->cmd_magic) != MBOX_CMD_VALID)
		return false;
	/* readl's DMB orders each load before the next: fields after the first magic read. */
	cmd->epoch = readl(&slot->cmd_epoch);
	cmd->gen = readl(&slot->cmd_gen);
	cmd->entry = readl(&slot->cmd_entry);
	cmd->arg = readl(&slot->cmd_arg);
	uint32_t check = readl(&slot->cmd_check);
	/* Still published, same generation: the releaser did not rewrite it under us. */
	if (readl(&slot->cmd_magic) != MBOX_CMD_VALID || readl(&slot->cmd_gen) != cmd->gen)
		return false;
	if (check != mbox_cmd_check(cmd->epoch, cmd->gen, cmd->entry, cmd->arg))
		return false;
	if (cmd->epoch != epoch) /* addressed to an earlier boot of this CPU: stale */
		return false;
	if (cmd->gen == 0 || cmd->gen > MBOX_GEN_MASK)
		return false;
	/* Handled already (proceeded or abandoned): a generation is never taken twice. */
	return cmd->gen != mbox_ack_gen(readl(&slot->st_ack));
}

static void pen_sleep(struct mbox_slot *slot)
{
#ifdef MUSTER_BENCH_WFE_PEN
	wfe(); /* benchmark baseline only: a WFE pen, which QEMU turns into a busy poll */
#else
	plat_cpu_idle();
#endif
	/* Count every wake-up: tests use it to tell a real wake-up from a lucky poll. */
	writel(readl(&slot->st_wakeups) + 1U, &slot->st_wakeups);
}

static uint32_t pen_await_verdict(struct mbox_slot *slot, uint32_t gen)
{
	for (;;) {
		uint32_t verdict = readl(&slot->cmd_verdict);
		uint32_t kind = verdict & 0xffU;

		if (mbox_ack_gen(verdict) == gen) {
			if (kind == MBOX_VERDICT_PROCEED || kind == MBOX_VERDICT_ABANDON)
				return kind;
		} else if (verdict != 0 || readl(&slot->cmd_gen) != gen) {
			/* Superseded: the releaser publishes a newer generation only after it decided
			 * ours, and it could not have told us PROCEED without our ARRIVED being seen
			 * and acknowledged, so ours was abandoned (its ABANDON word already overwritten). */
			return MBOX_VERDICT_ABANDON;
		}
		pen_sleep(slot);
	}
}

struct mbox_cmd pen_wait(struct mbox_slot *slot, uint32_t epoch, unsigned cpu)
{
	for (;;) {
		struct mbox_cmd cmd;

		if (!pen_take(slot, epoch, &cmd)) {
			pen_sleep(slot);
			continue;
		}
		pen_stage(slot, cmd.gen, MBOX_STAGE_CMD);
		fault_point(cpu, MBOX_STAGE_CMD);
		/* Phase 1: announce ARRIVED. writel's DMB orders our reads of the command before it. */
		writel(mbox_ack(cmd.gen, MBOX_STATE_ARRIVED), &slot->st_ack);
		pen_stage(slot, cmd.gen, MBOX_STAGE_ARRIVED);
		dsb(); /* ARRIVED is visible before we sleep or signal */
		sev(); /* a releaser waiting in WFE may look now */

		if (pen_await_verdict(slot, cmd.gen) != MBOX_VERDICT_PROCEED) {
			/* ABANDON is final for this generation: stay parked, remember we handled it. */
			writel(mbox_ack(cmd.gen, MBOX_STATE_PARKED), &slot->st_ack);
			pen_stage(slot, cmd.gen, MBOX_STAGE_PEN);
			continue;
		}
		pen_stage(slot, cmd.gen, MBOX_STAGE_PROCEED);
		fault_point(cpu, MBOX_STAGE_PROCEED);
		/* Phase 2: acknowledge PROCEED; only now may this CPU touch shared state. */
		writel(mbox_ack(cmd.gen, MBOX_STATE_ONLINE), &slot->st_ack);
		dsb(); /* the acknowledgment is visible before the entry's first access */
		sev();
		return cmd;
	}
}
