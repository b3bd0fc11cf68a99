/* CPU0's side of the handshake: release in parallel, wait with a long deadline, decide, account. */
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/smp.h>

struct smp_cpu smp_cpus[PLAT_MAX_CPUS];

static uint32_t ack_timeout_ms = MUSTER_ACK_TIMEOUT_MS;
static unsigned cpu_total;

_Static_assert(MUSTER_ACK_TIMEOUT_MS >= SMP_ACK_TIMEOUT_MIN_MS &&
		       MUSTER_ACK_TIMEOUT_MS <= SMP_ACK_TIMEOUT_MAX_MS,
	       "ACK_TIMEOUT_MS out of range");

int smp_set_ack_timeout_ms(uint32_t ms)
{
	if (ms < SMP_ACK_TIMEOUT_MIN_MS || ms > SMP_ACK_TIMEOUT_MAX_MS)
		return -1;
	ack_timeout_ms = ms;
	return 0;
}

uint32_t smp_ack_timeout_ms(void)
{
	return ack_timeout_ms;
}

unsigned smp_cpu_total(void)
{
	return cpu_total;
}

void smp_init(unsigned ncpus)
{
	if (ncpus > PLAT_MAX_CPUS)
		ncpus = PLAT_MAX_CPUS;
	cpu_total = ncpus;
	for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++) {
		struct mbox_slot *slot = &mbox_slots[idx];
		struct smp_cpu *cpu = &smp_cpus[idx];
		/* Start above every generation the slot may still hold from an earlier boot, so
		 * that no stale ARRIVED or verdict can ever match one of ours. */
		uint32_t stale_cmd = readl(&slot->cmd_gen) & MBOX_GEN_MASK;
		uint32_t stale_ack = mbox_ack_gen(readl(&slot->st_ack)) & MBOX_GEN_MASK;

		*cpu = (struct smp_cpu){
			.state = idx >= ncpus ? SMP_ABSENT : (idx == 0 ? SMP_BOOT : SMP_OFF),
			/* cppcheck-suppress knownConditionTrueFalse ; a constant where PLAT_HAS_CPU_POWER is 0 */
			.power = PLAT_HAS_CPU_POWER && idx != 0 ? SMP_POWER_OFF : SMP_POWER_ON,
			.mpidr = cpu_mpidr_of(idx),
			.gen = stale_cmd > stale_ack ? stale_cmd : stale_ack,
			.boot_cmd_epoch = readl(&slot->cmd_epoch),
			.boot_cmd_valid = readl(&slot->cmd_magic) == MBOX_CMD_VALID,
		};
		if (idx != 0) {
			writel(0, &slot->cmd_magic); /* withdraw any stale command: ours from now on */
			writel(0, &slot->cmd_quiesce); /* and any earlier boot's hold request */
		}
	}
	dsb(); /* the withdrawals complete before any release */
}

/*
 * Is a FAULTED status that does not name our generation from this boot? Only if the status line
 * is valid and the CPU has reset since the last release a previous boot addressed to it (a new
 * epoch): otherwise it may be garbage, or an earlier boot's record of a CPU that has not run yet.
 */
static bool fault_is_this_boots(unsigned idx)
{
	const struct smp_cpu *cpu = &smp_cpus[idx];
	const struct mbox_slot *slot = &mbox_slots[idx];

	return readl(&slot->st_magic) == MBOX_ST_VALID &&
	       mbox_ack_state(readl(&slot->st_ack)) == MBOX_STATE_FAULTED &&
	       (!cpu->boot_cmd_valid || readl(&slot->st_epoch) != cpu->boot_cmd_epoch);
}

const char *smp_release_refusal(unsigned idx)
{
	if (idx >= cpu_total)
		return "is not reported by the hardware";

	const struct smp_cpu *cpu = &smp_cpus[idx];
	uint32_t ack = readl(&mbox_slots[idx].st_ack);

	switch (cpu->state) {
	case SMP_OFF:
	case SMP_TIMEOUT:
		return NULL; /* parked, or abandoned (and, if alive, parked on ABANDON) */
	case SMP_ONLINE:
		/* Back in the pen once its entry returned, or parked after a reset (a new epoch). */
		if (ack == mbox_ack(cpu->gen, MBOX_STATE_PARKED) ||
		    (mbox_ack_state(ack) == MBOX_STATE_PARKED &&
		     readl(&mbox_slots[idx].st_epoch) != cpu->epoch))
			return NULL;
		return "is still running its entry";
	case SMP_FAULTED:
		/* Stopped for good only if it faulted on our command; else it may have come up since. */
		return ack != mbox_ack(cpu->gen, MBOX_STATE_FAULTED) ? NULL :
								       "faulted on its last release and stopped";
	case SMP_LOST:
		return "was told to proceed and never acknowledged: it may be running, so it is never "
		       "released again";
	case SMP_BOOT:
		return "is the boot CPU";
	case SMP_ABSENT:
		return "is not reported by the hardware";
	default:
		return "is being released";
	}
}

static bool releasable(unsigned idx)
{
	return smp_release_refusal(idx) == NULL;
}

/* Start a core that is off or held in reset: at its reset vector, from then on possibly running. */
static void start_core(struct smp_cpu *cpu, unsigned idx)
{
	/* Whatever the board answers, the core may run from here on: only its handshake says it does. */
	/* cppcheck-suppress knownConditionTrueFalse ; a constant 0 where PLAT_HAS_CPU_POWER is 0 */
	cpu->start_unconfirmed = plat_opt_cpu_power_on(idx) != 0;
	cpu->power = SMP_POWER_ON;
}

static void release_one(unsigned idx, uint32_t entry, uint32_t arg, uint64_t now)
{
	struct smp_cpu *cpu = &smp_cpus[idx];
	struct mbox_slot *slot = &mbox_slots[idx];

	if (cpu->state == SMP_TIMEOUT || cpu->state == SMP_FAULTED)
		cpu->retries++;
	cpu->gen = mbox_next_gen(cpu->gen);
	cpu->epoch = readl(&slot->st_epoch);
	cpu->state = SMP_PENDING;
	cpu->released_at = now;
	writel(0, &slot->cmd_quiesce); /* released again after a hold: its pen polls again */
	mbox_publish(slot, cpu->epoch, cpu->gen, entry, arg, 0);
	/* Never started, or held in reset: it starts now, at the reset vector, and reads the command
	 * after pen_reset, under its new epoch, which poll_one re-addresses. */
	if (cpu->power != SMP_POWER_ON)
		start_core(cpu, idx);
}

static void wake(unsigned idx)
{
	if (fault_active(FAULT_NO_WAKE))
		return;
	plat_wake_cpu(idx);
}

/* Publish the verdict and make sure the owner sees it, wherever it sleeps. */
static void decide(unsigned idx, uint32_t verdict)
{
	mbox_set_verdict(&mbox_slots[idx], smp_cpus[idx].gen, verdict);
	dsb(); /* the verdict is visible before the wake-up */
	sev(); /* for an owner in WFE */
	wake(idx); /* for an owner in WFI */
}

/* One look at a CPU in flight; returns true when it is resolved. */
static bool poll_one(unsigned idx, uint64_t now, uint64_t timeout_us, uint32_t entry, uint32_t arg)
{
	struct smp_cpu *cpu = &smp_cpus[idx];
	struct mbox_slot *slot = &mbox_slots[idx];
	uint32_t ack = readl(&slot->st_ack);
	bool expired = now - cpu->released_at >= timeout_us;

	if (mbox_ack_state(ack) == MBOX_STATE_FAULTED && mbox_ack_gen(ack) == cpu->gen) {
		if (cpu->state == SMP_PENDING)
			mbox_set_verdict(slot, cpu->gen, MBOX_VERDICT_ABANDON); /* final, whatever happens next */
		cpu->state = SMP_FAULTED;
		return true;
	}
	if (cpu->state == SMP_PENDING) {
		if (ack == mbox_ack(cpu->gen, MBOX_STATE_ARRIVED)) {
			decide(idx, MBOX_VERDICT_PROCEED);
			cpu->state = SMP_PROCEED;
			return false;
		}
		if (expired) {
			decide(idx, MBOX_VERDICT_ABANDON);
			/* A fault it recorded this boot before it took our command is the failure. */
			cpu->state = fault_is_this_boots(idx) ? SMP_FAULTED : SMP_TIMEOUT;
			/* It never announced ARRIVED, so it touched nothing shared: where the board can,
			 * hold it in reset so it is certainly stopped; a retry starts it from reset. Only
			 * a hold the board confirmed counts: an unconfirmed one may still be running. */
			/* cppcheck-suppress knownConditionTrueFalse ; a constant -1 where PLAT_HAS_CPU_POWER is 0 */
			if (cpu->power == SMP_POWER_ON && plat_opt_cpu_hold_in_reset(idx) == 0)
				cpu->power = SMP_POWER_HELD;
			return true;
		}
		/* The CPU reset while we waited (new epoch): address the command to its new boot. */
		uint32_t epoch = readl(&slot->st_epoch);
		if (epoch != cpu->epoch && readl(&slot->st_magic) == MBOX_ST_VALID) {
			cpu->epoch = epoch;
			mbox_publish(slot, epoch, cpu->gen, entry, arg, 0);
			dsb(); /* the new command is visible before the wake-up */
			wake(idx);
		}
		return false;
	}
	/* SMP_PROCEED */
	if (ack == mbox_ack(cpu->gen, MBOX_STATE_ONLINE) ||
	    ack == mbox_ack(cpu->gen, MBOX_STATE_PARKED)) { /* a short entry may already be back */
		cpu->latency_us = (uint32_t)(now - cpu->released_at);
		cpu->state = SMP_ONLINE;
		return true;
	}
	if (expired) {
		cpu->state = SMP_LOST; /* told PROCEED: it may be running; never released again */
		return true;
	}
	return false;
}

/*
 * FAULT_NO_WAKE only: let every target reach its pen and fall asleep before the release. A CPU
 * still awake when its command and verdict land needs no wake-up, so it would hide the missing one.
 * A target that is off or held in reset is started first, with no command for it: otherwise its
 * start would race the command it is to miss.
 */
static void settle_before_release(uint32_t mask)
{
	if (!fault_active(FAULT_NO_WAKE))
		return;
	for (unsigned idx = 1; idx < cpu_total; idx++)
		if ((mask & (1U << idx)) && releasable(idx) && smp_cpus[idx].power != SMP_POWER_ON)
			start_core(&smp_cpus[idx], idx);
	uint64_t start = plat_time_us();

	for (unsigned idx = 1; idx < cpu_total; idx++)
		while ((mask & (1U << idx)) && (readl(&mbox_slots[idx].st_stage) & 0xffU) != MBOX_STAGE_PEN &&
		       plat_time_us() - start < (uint64_t)ack_timeout_ms * 1000U)
			cpu_relax();
	start = plat_time_us();
	while (plat_time_us() - start < 100000U) /* from its PEN breadcrumb to WFI is a few instructions */
		cpu_relax();
}

uint32_t smp_release(uint32_t mask, uint32_t entry, uint32_t arg)
{
	uint32_t pending = 0, online = 0;
	const uint64_t timeout_us = (uint64_t)ack_timeout_ms * 1000U;

	settle_before_release(mask);
	uint64_t now = plat_time_us();

	for (unsigned idx = 1; idx < cpu_total; idx++) {
		if ((mask & (1U << idx)) && releasable(idx)) {
			release_one(idx, entry, arg, now);
			pending |= 1U << idx;
		}
	}
	if (!pending)
		return 0;
	dsb(); /* every command is visible before any wake-up is sent */
	sev(); /* for pens that wait in WFE (a payload's) */
	for (unsigned idx = 1; idx < cpu_total; idx++)
		if (pending & (1U << idx))
			wake(idx);

	while (pending) {
		cpu_relax();
		now = plat_time_us();
		for (unsigned idx = 1; idx < cpu_total; idx++) {
			if (!(pending & (1U << idx)) || !poll_one(idx, now, timeout_us, entry, arg))
				continue;
			pending &= ~(1U << idx);
			if (smp_cpus[idx].state == SMP_ONLINE)
				online |= 1U << idx;
		}
		if (fault_active(FAULT_SPURIOUS_SEV)) {
			sev(); /* wake every pen for nothing: it must re-check and sleep again */
			for (unsigned idx = 1; idx < cpu_total; idx++)
				plat_wake_cpu(idx);
		}
	}
	return online;
}

/*
 * A parked core about to be held in reset first goes to sleep without its poll timer: one armed
 * when the core stops would stay armed, or fired, into its next start, which may be an OS's that
 * knows nothing of it (its interrupt enabled in the GIC's per-CPU bank, which no CPU reset
 * clears). It answers at its next wake-up, or at its next poll without one; one that does not
 * answer is held all the same (muster's own restart cleans up: plat_secondary_init).
 */
static void quiesce(unsigned idx)
{
	struct mbox_slot *slot = &mbox_slots[idx];
	uint32_t token = (readl(&slot->st_epoch) << 1) | 1U; /* never 0 */

	writel(token, &slot->cmd_quiesce);
	dsb(); /* the request is visible before the wake-up */
	wake(idx);
	uint64_t start = plat_time_us();

	while (readl(&slot->st_quiesced) != token && plat_time_us() - start < 3ULL * MUSTER_PEN_POLL_US)
		cpu_relax();
}

uint32_t smp_hold(uint32_t mask)
{
	uint32_t held = 0;

	for (unsigned idx = 1; idx < cpu_total; idx++) {
		struct smp_cpu *cpu = &smp_cpus[idx];

		if (!(mask & (1U << idx)))
			continue;
		if (cpu->power == SMP_POWER_ON && releasable(idx)) {
			if (PLAT_HAS_CPU_POWER)
				quiesce(idx);
			/* cppcheck-suppress knownConditionTrueFalse ; a constant -1 where PLAT_HAS_CPU_POWER is 0 */
			if (plat_opt_cpu_hold_in_reset(idx) == 0)
				cpu->power = SMP_POWER_HELD;
		}
		if (cpu->power != SMP_POWER_ON)
			held |= 1U << idx;
	}
	return held;
}

bool smp_cpu_idle(unsigned idx)
{
	return idx < cpu_total && smp_cpus[idx].state == SMP_ONLINE && releasable(idx);
}

uint32_t smp_online_mask(void)
{
	uint32_t mask = 0;

	for (unsigned idx = 0; idx < cpu_total; idx++)
		if (smp_cpus[idx].state == SMP_ONLINE || smp_cpus[idx].state == SMP_BOOT)
			mask |= 1U << idx;
	return mask;
}

void smp_resync(void)
{
	for (unsigned idx = 1; idx < cpu_total; idx++) {
		uint32_t ack = readl(&mbox_slots[idx].st_ack);

		/* A payload released it with generations of its own; take over from its last one. */
		if (smp_cpus[idx].state == SMP_ONLINE && mbox_ack_state(ack) == MBOX_STATE_PARKED)
			smp_cpus[idx].gen = mbox_ack_gen(ack);
	}
}

uint32_t smp_timed_out_mask(void)
{
	uint32_t mask = 0;

	for (unsigned idx = 0; idx < cpu_total; idx++)
		if (smp_cpus[idx].state == SMP_TIMEOUT)
			mask |= 1U << idx;
	return mask;
}

const char *smp_state_name(enum smp_state state)
{
	static const char *const names[] = {
		[SMP_ABSENT] = "absent",   [SMP_OFF] = "parked",   [SMP_BOOT] = "online",
		[SMP_PENDING] = "pending", [SMP_PROCEED] = "proceeding", [SMP_ONLINE] = "online",
		[SMP_TIMEOUT] = "timeout", [SMP_LOST] = "lost",     [SMP_FAULTED] = "FAILED",
	};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *smp_power_name(enum smp_power power)
{
	static const char *const names[] = {
		[SMP_POWER_ON] = "on",
		[SMP_POWER_OFF] = "off",
		[SMP_POWER_HELD] = "held",
	};
	return (unsigned)power < sizeof(names) / sizeof(names[0]) ? names[power] : "?";
}

const char *smp_stage_name(uint32_t stage)
{
	static const char *const names[] = {
		[0] = "none",
		[MBOX_STAGE_RESET] = "reset",
		[MBOX_STAGE_PEN] = "pen",
		[MBOX_STAGE_CMD] = "command",
		[MBOX_STAGE_ARRIVED] = "arrived",
		[MBOX_STAGE_PROCEED] = "proceed",
		[MBOX_STAGE_ENTRY] = "entry",
	};
	stage &= 0xffU; /* the breadcrumb word also carries the generation */
	return stage < sizeof(names) / sizeof(names[0]) ? names[stage] : "unknown";
}

const char *smp_fault_name(uint32_t fault)
{
	static const char *const names[] = {
		[0] = "none",
		[MBOX_FAULT_UNDEF] = "undefined instruction",
		[MBOX_FAULT_SVC] = "supervisor call",
		[MBOX_FAULT_PABT] = "prefetch abort",
		[MBOX_FAULT_DABT] = "data abort",
		[MBOX_FAULT_IRQ] = "unexpected IRQ",
		[MBOX_FAULT_FIQ] = "unexpected FIQ",
	};
	return fault < sizeof(names) / sizeof(names[0]) ? names[fault] : "unknown exception";
}
