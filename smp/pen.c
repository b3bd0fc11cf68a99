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
	writel(0, &slot->st_unwoken);
	writel(0, &slot->st_quiesced);
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

/* Sleep until a wake-up or the next poll; true when the board's wake-up interrupt ended it. */
static bool pen_sleep(struct mbox_slot *slot)
{
#ifdef MUSTER_BENCH_WFE_PEN
	wfe(); /* benchmark baseline only: a WFE pen, which QEMU turns into a busy poll */
	bool woken = true;
#else
	uint32_t quiesce = readl(&slot->cmd_quiesce);
	bool woken;

	if (quiesce) {
		/* About to be held in reset: no timer armed from here on (the last one was disarmed
		 * when our previous sleep ended), so none outlives this core into its next start. */
		writel(quiesce, &slot->st_quiesced);
		woken = plat_cpu_idle(0);
	} else {
		woken = plat_cpu_idle(MUSTER_PEN_POLL_US);
	}
#endif
	/* Count the wake-ups: tests use it to tell a real wake-up from a poll. */
	if (woken)
		writel(readl(&slot->st_wakeups) + 1U, &slot->st_wakeups);
	return woken;
}

/*
 * The pen found something to act on (a command, or a verdict for ours). Act at once when a
 * wake-up came since the last look, or on the first look (a releaser may publish while we are
 * awake; its wake-up then finds us later, harmlessly). Found by polls alone, it waits until
 * MUSTER_PEN_UNWOKEN_POLLS polls in a row have found it, so that a releaser between its DSB and
 * its wake-up is not taken for one that forgot it; then it is taken and recorded.
 */
static bool pen_act(struct mbox_slot *slot, bool woken, unsigned *unwoken)
{
	if (woken) {
		*unwoken = 0;
		return true;
	}
	if (++*unwoken < MUSTER_PEN_UNWOKEN_POLLS)
		return false;
	*unwoken = 0;
	writel(readl(&slot->st_unwoken) + 1U, &slot->st_unwoken);
	return true;
}

/* The verdict for generation gen: PROCEED, ABANDON, or 0 while there is none yet. */
static uint32_t pen_verdict(struct mbox_slot *slot, uint32_t gen)
{
	uint32_t verdict = readl(&slot->cmd_verdict);
	uint32_t kind = verdict & 0xffU;

	if (mbox_ack_gen(verdict) == gen)
		return kind == MBOX_VERDICT_PROCEED || kind == MBOX_VERDICT_ABANDON ? kind : 0;
	if (verdict != 0 || readl(&slot->cmd_gen) != gen) {
		/* Superseded: the releaser publishes a newer generation only after it decided
		 * ours, and it could not have told us PROCEED without our ARRIVED being seen
		 * and acknowledged, so ours was abandoned (its ABANDON word already overwritten). */
		return MBOX_VERDICT_ABANDON;
	}
	return 0;
}

static uint32_t pen_await_verdict(struct mbox_slot *slot, uint32_t gen)
{
	bool woken = true; /* first look: we announced ARRIVED just now, awake */
	unsigned unwoken = 0;

	for (;;) {
		uint32_t verdict = pen_verdict(slot, gen);

		if (verdict == 0)
			unwoken = 0;
		else if (pen_act(slot, woken, &unwoken))
			return verdict;
		woken = pen_sleep(slot);
	}
}

struct mbox_cmd pen_wait(struct mbox_slot *slot, uint32_t epoch, unsigned cpu)
{
	bool woken = true; /* first look: awake since reset or since the last entry returned */
	unsigned unwoken = 0;

	for (;;) {
		struct mbox_cmd cmd;

		if (!pen_take(slot, epoch, &cmd)) {
			unwoken = 0;
			woken = pen_sleep(slot);
			continue;
		}
		if (!pen_act(slot, woken, &unwoken)) {
			woken = pen_sleep(slot);
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
			woken = true; /* a new look: the next command is a new publication */
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
