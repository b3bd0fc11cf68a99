/*
 * The bring-up report: one line per CPU and the summary, printed by CPU0 alone. It reads what the
 * coordinator (smp/) recorded; it lives here, beside the console, so that the protocol layer
 * depends on neither the console nor anything else of CPU0's flow.
 */
#include <muster/console.h>
#include <muster/report.h>
#include <muster/smp.h>

static void report_failure(unsigned idx, const struct smp_cpu *cpu, const struct mbox_slot *slot)
{
	uint32_t ack = readl(&slot->st_ack);
	uint32_t stage = readl(&slot->st_magic) == MBOX_ST_VALID ? readl(&slot->st_stage) : 0;

	switch (cpu->state) {
	case SMP_TIMEOUT:
		con_printf("cpu%u: mpidr 0x%08lx timeout: no acknowledgment within %lu ms, last stage %s%s%s\n",
			   idx, (unsigned long)cpu->mpidr, (unsigned long)smp_ack_timeout_ms(),
			   smp_stage_name(stage),
			   mbox_ack_gen(ack) == cpu->gen ? ", arrived late and stayed parked" : "",
			   cpu->power == SMP_POWER_HELD ? ", held in reset" :
			   cpu->start_unconfirmed       ? ", its start was not confirmed by the power controller" :
							  "");
		break;
	case SMP_LOST:
		con_printf("cpu%u: mpidr 0x%08lx lost: told to proceed, no acknowledgment within %lu ms, "
			   "last stage %s\n",
			   idx, (unsigned long)cpu->mpidr, (unsigned long)smp_ack_timeout_ms(),
			   smp_stage_name(stage));
		break;
	case SMP_FAULTED:
		con_printf("cpu%u: mpidr 0x%08lx FAILED: %s at pc 0x%08lx, address 0x%08lx, last stage %s%s\n",
			   idx, (unsigned long)cpu->mpidr, smp_fault_name(readl(&slot->st_fault)),
			   (unsigned long)readl(&slot->st_fault_pc),
			   (unsigned long)readl(&slot->st_fault_addr), smp_stage_name(stage),
			   mbox_ack_gen(ack) == cpu->gen ? "" : " (before it took the release)");
		break;
	default:
		con_printf("cpu%u: mpidr 0x%08lx %s\n", idx, (unsigned long)cpu->mpidr,
			   smp_state_name(cpu->state));
		break;
	}
}

void smp_report_cpu(unsigned idx)
{
	const struct smp_cpu *cpu = &smp_cpus[idx];
	const struct mbox_slot *slot = &mbox_slots[idx];

	if (cpu->state == SMP_BOOT) {
		con_printf("cpu%u: mpidr 0x%08lx online boot cpu\n", idx, (unsigned long)read_mpidr());
	} else if (cpu->state == SMP_ONLINE) {
		uint32_t seen = readl(&slot->st_mpidr);
		uint32_t unwoken = readl(&slot->st_unwoken);

		con_printf("cpu%u: mpidr 0x%08lx online latency %lu us%s%s\n", idx, (unsigned long)seen,
			   (unsigned long)cpu->latency_us, cpu->retries ? " after a retry" : "",
			   seen == cpu->mpidr ? "" : " (MPIDR differs from its slot)");
		/* muster's own releases always send the wake-up: a count here means a payload's
		 * release forgot it, or the board's plat_wake_cpu does not reach this CPU (a port's
		 * fault), and only the pen's poll got the CPU through. */
		if (unwoken)
			con_printf("cpu%u: warning: handshake steps taken without a wake-up: %lu (found by "
				   "its %u ms poll: a releaser forgot it, or plat_wake_cpu does not reach this CPU)\n",
				   idx, (unsigned long)unwoken, MUSTER_PEN_POLL_US / 1000U);
	} else {
		report_failure(idx, cpu, slot);
	}
}

unsigned smp_report(void)
{
	unsigned online = 0, total = smp_cpu_total();

	for (unsigned idx = 0; idx < total; idx++) {
		smp_report_cpu(idx);
		online += smp_cpus[idx].state == SMP_BOOT || smp_cpus[idx].state == SMP_ONLINE;
	}
	con_printf("smp: %u of %u CPUs online\n", online, total);
	return online;
}

void smp_watch_abandoned(uint32_t ms)
{
	uint32_t watching = 0;
	uint64_t end = plat_time_us() + (uint64_t)ms * 1000U;

	for (unsigned idx = 0; idx < smp_cpu_total(); idx++) {
		if (!(smp_timed_out_mask() & (1U << idx)))
			continue;
		if (smp_cpus[idx].power == SMP_POWER_HELD) /* stopped: nothing can arrive late */
			con_printf("cpu%u: held in reset since its deadline: it cannot arrive late\n", idx);
		else
			watching |= 1U << idx;
	}

	while (watching && plat_time_us() < end) {
		cpu_relax();
		for (unsigned idx = 0; idx < smp_cpu_total(); idx++) {
			const struct mbox_slot *slot = &mbox_slots[idx];
			uint32_t gen = smp_cpus[idx].gen;

			if (!(watching & (1U << idx)) || readl(&slot->st_ack) != mbox_ack(gen, MBOX_STATE_PARKED))
				continue;
			/* PARKED|gen is written only after the CPU read ABANDON for gen: it arrived late. */
			con_printf("cpu%u: arrived late for generation %lu, read ABANDON, stayed parked "
				   "(last stage %s)\n",
				   idx, (unsigned long)gen, smp_stage_name(readl(&slot->st_stage)));
			watching &= ~(1U << idx);
		}
	}
	for (unsigned idx = 0; idx < smp_cpu_total(); idx++)
		if (watching & (1U << idx))
			con_printf("cpu%u: still silent %lu ms after it was abandoned\n", idx,
				   (unsigned long)ms);
}
