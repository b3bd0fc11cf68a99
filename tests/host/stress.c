/* Stress of the real handshake on real time: random bring-ups with faults, invariants checked after every trial. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/smp.h>

#include "sim_platform.h"

/* 1 counts the known, reported but unfixed, bugs of smp/ as violations (tests/host/host.mk). */

/*
 * A trial is one boot of the simulated board: 1..7 secondaries, a mailbox that is zeroed, left as
 * the previous trial left it (a warm reset: PROCEED verdicts and valid checks included) or filled
 * with garbage (sometimes with a self-consistent command planted in every slot), then 1..4
 * release rounds of every CPU. Every secondary stalls a random time before pen_reset and before
 * ARRIVED. In a "quick" trial (45%) the stalls are short (0..200 us, within the deadline), and
 * nothing else goes wrong: these trials race the fast path. In the others a stall is 0..4 ms
 * (straddling the 2 ms deadline) with some probability, and a CPU may also never arrive, hang
 * after PROCEED, acknowledge PROCEED 0..4 ms late, or reset on taking the command or on PROCEED;
 * CPU0 may send spurious wake-ups on every poll, or none at all. A round is sometimes a retry
 * sent while late CPUs still stall on the previous generation. Faults fire once per trial.
 *
 * After the last round the harness lets every late CPU finish (sim_quiesce: stalls end, every
 * CPU is woken twice for nothing), then checks, for every round r and CPU i:
 *   I1 a CPU ran the entry of round r only if it was released in r, at most once, under the
 *      generation of r, and found PROCEED|gen in the verdict word while it ran;
 *   I2 a released CPU ends ONLINE, TIMEOUT or LOST: never PENDING or PROCEED, and never FAULTED,
 *      since no exception is injected here (a FAULTED word from before the trial must not count);
 *   I3 it is in the mask smp_release returned exactly when it is ONLINE;
 *   I4 every ONLINE CPU ran the entry; a TIMEOUT (abandoned) CPU never did, late or not;
 *   I5 the shared counter of round r == online(r) + lost_ran(r): a LOST CPU was told PROCEED and
 *      may acknowledge late and run, so it counts exactly when its "ran" flag says it ran;
 *   I6 no entry ran with an argument of another trial (a stale command taken) or at an address no
 *      one registered (garbage taken);
 *   I7 every CPU that is still alive is back in its pen at the end: PARKED (none stuck waiting
 *      for a verdict that was superseded), and an ONLINE one is PARKED under its generation;
 *   I8 (checked by the sim as it happens) no entry started before the pen wrote ONLINE|gen, and
 *      no command already said PROCEED when its CPU took it (PROCEED only answers ARRIVED).
 * "Every CPU told PROCEED and acknowledging is counted ONLINE and no other" is I3 + I4 + I8 for
 * acknowledgments within the deadline; one that acknowledges after it is LOST, and I5 counts it.
 * A handshake is one secondary released in one round.
 */

#define MAX_ROUNDS 4
#define MAX_DELAY_US 4000U
#define SHORT_DELAY_US 200U
#define IDLE_TIMEOUT_US 1000U
#define MAX_REPORTED 30
/* Settling takes at most a few stalls of MAX_DELAY_US; a CPU that keeps running this long (real
 * time) never parks, and the trial cannot be shut down cleanly: report and stop. */
#define SETTLE_LIMIT_US 10000000U

struct rec {
	unsigned runs;
	uint32_t gen, verdict;
};

/* Written by the CPU threads (atomics), read by CPU0 after sim_quiesce. */
static struct rec recs[MAX_ROUNDS][PLAT_MAX_CPUS];
static unsigned counter[MAX_ROUNDS];
static unsigned foreign_runs;
static uint32_t arg_base;

struct snap {
	enum smp_state state;
	uint32_t gen;
	bool released;
};

static struct snap snaps[MAX_ROUNDS][PLAT_MAX_CPUS];
static uint32_t masks[MAX_ROUNDS];

static uint64_t rng_state;
static unsigned long long trials, handshakes, violations, eager_retries;
static unsigned long long n_online, n_timeout, n_lost, n_lost_ran, n_late_parked, n_jitter;
static unsigned long long trial_no;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64* */

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
	va_list ap;

	if (violations++ < MAX_REPORTED) {
		fprintf(stderr, "VIOLATION trial %llu: ", trial_no);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

static void stress_entry(unsigned cpu, uint32_t gen, uint32_t arg)
{
	uint32_t round = arg - __atomic_load_n(&arg_base, __ATOMIC_ACQUIRE);

	if (round >= MAX_ROUNDS) {
		__atomic_fetch_add(&foreign_runs, 1U, __ATOMIC_ACQ_REL);
		return;
	}
	struct rec *r = &recs[round][cpu];

	__atomic_store_n(&r->verdict, readl(&mbox_slots[cpu].cmd_verdict), __ATOMIC_RELAXED);
	__atomic_store_n(&r->gen, gen, __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->runs, 1U, __ATOMIC_RELEASE); /* the per-CPU "ran" flag */
	__atomic_fetch_add(&counter[round], 1U, __ATOMIC_ACQ_REL); /* the shared counter */
}

/* A stall: usually short (well within the deadline), sometimes anywhere in 0..2x the deadline. */
static uint64_t pick_delay(unsigned long_pct)
{
	return below(100) < long_pct ? below(MAX_DELAY_US + 1) : below(SHORT_DELAY_US + 1);
}

/* One secondary's faults for this trial. Returns true when it may be slow or silent. */
static bool pick_faults(struct sim_cpu_cfg *cfg, bool quick)
{
	unsigned u = quick ? 100 : below(100);
	struct sim_fault *f = &cfg->faults[1];

	memset(cfg, 0, sizeof(*cfg));
	cfg->reset_delay_us = pick_delay(quick ? 0 : 15);
	cfg->faults[0] = (struct sim_fault){ SIM_FAULT_DELAY, MBOX_STAGE_CMD, pick_delay(quick ? 0 : 25) };
	if (u < 2)
		*f = (struct sim_fault){ SIM_FAULT_NEVER, MBOX_STAGE_PEN, 0 };
	else if (u < 4)
		*f = (struct sim_fault){ SIM_FAULT_NEVER, MBOX_STAGE_CMD, 0 };
	else if (u < 6)
		*f = (struct sim_fault){ SIM_FAULT_NEVER, MBOX_STAGE_PROCEED, 0 };
	else if (u < 11)
		*f = (struct sim_fault){ SIM_FAULT_DELAY, MBOX_STAGE_PROCEED, pick_delay(100) };
	else if (u < 15)
		*f = (struct sim_fault){ SIM_FAULT_RESET, MBOX_STAGE_CMD, 0 };
	else if (u < 17)
		*f = (struct sim_fault){ SIM_FAULT_RESET, MBOX_STAGE_PROCEED, 0 };
	return cfg->reset_delay_us > SHORT_DELAY_US || cfg->faults[0].delay_us > SHORT_DELAY_US ||
	       f->kind != SIM_FAULT_NONE;
}

/* A valid command for the slot's current epoch, as an earlier boot could have left it. */
static void plant_stale(unsigned cpu, uint32_t entry)
{
	struct mbox_slot *s = &mbox_slots[cpu];
	uint32_t epoch = readl(&s->st_epoch), gen = (uint32_t)(rnd() & MBOX_GEN_MASK) | 1U;
	/* An argument of an earlier trial: if the entry ever sees it, a stale command was taken. */
	uint32_t arg = __atomic_load_n(&arg_base, __ATOMIC_RELAXED) - 1U - below(1000);

	writel(epoch, &s->cmd_epoch);
	writel(gen, &s->cmd_gen);
	writel(entry, &s->cmd_entry);
	writel(arg, &s->cmd_arg);
	writel(mbox_cmd_check(epoch, gen, entry, arg), &s->cmd_check);
	writel((gen << 8) | MBOX_VERDICT_PROCEED, &s->cmd_verdict);
	writel(MBOX_CMD_VALID, &s->cmd_magic);
}

static void prepare_mailbox(uint32_t entry)
{
	unsigned m = below(10);

	if (m < 4 && trials > 0)
		return; /* warm reset: whatever the previous trial left, PROCEED verdicts included */
	if (m < 7) {
		sim_fill_mailbox(0);
		return;
	}
	static const uint32_t patterns[] = { 0xffffffffU, 0xdeadbeefU, MBOX_CMD_VALID, MBOX_ST_VALID };

	if (below(2))
		sim_fill_mailbox_random(rnd());
	else
		sim_fill_mailbox(patterns[below(4)]);
	if (below(2))
		for (unsigned i = 1; i < PLAT_MAX_CPUS; i++)
			plant_stale(i, entry);
}

static void check_trial(unsigned ncpus, unsigned rounds, const bool *slow)
{
	for (unsigned r = 0; r < rounds; r++) {
		unsigned online = 0, lost_ran = 0;

		for (unsigned i = 1; i < ncpus; i++) {
			const struct snap *s = &snaps[r][i];
			unsigned ran = __atomic_load_n(&recs[r][i].runs, __ATOMIC_ACQUIRE);
			uint32_t gen = __atomic_load_n(&recs[r][i].gen, __ATOMIC_RELAXED);
			uint32_t verdict = __atomic_load_n(&recs[r][i].verdict, __ATOMIC_RELAXED);
			bool in_mask = (masks[r] >> i) & 1U;

			if (!s->released) {
				if (ran)
					violation("round %u cpu%u ran without being released", r, i);
				if (in_mask)
					violation("round %u cpu%u in the online mask without a release", r, i);
				continue;
			}
			handshakes++;
			if (ran > 1)
				violation("round %u cpu%u ran %u times", r, i, ran);
			if (ran && (gen != s->gen || verdict != ((s->gen << 8) | MBOX_VERDICT_PROCEED)))
				violation("round %u cpu%u ran gen %#x (verdict %#x), released as gen %#x", r, i,
					  (unsigned)gen, (unsigned)verdict, (unsigned)s->gen);
			if (in_mask != (s->state == SMP_ONLINE))
				violation("round %u cpu%u state %s but %s the online mask", r, i,
					  smp_state_name(s->state), in_mask ? "in" : "not in");
			switch (s->state) {
			case SMP_ONLINE:
				online++;
				n_online++;
				if (!ran)
					violation("round %u cpu%u ONLINE but never ran the entry", r, i);
				break;
			case SMP_TIMEOUT:
				n_timeout++;
				if (!slow[i])
					n_jitter++; /* no fault, still late: host scheduling, not a violation */
				if (ran)
					violation("round %u cpu%u abandoned (TIMEOUT) but ran the entry", r, i);
				break;
			case SMP_LOST:
				n_lost++;
				if (ran) {
					lost_ran++;
					n_lost_ran++;
				}
				break;
			case SMP_FAULTED:
				/* No exception is injected here: the coordinator read a FAULTED word the CPU
				 * did not write this boot (garbage, CPU not yet out of reset). */
				violation("round %u cpu%u FAULTED without an exception (a FAULTED word "
					  "from before this boot)", r, i);
				if (ran)
					violation("round %u cpu%u FAULTED but ran the entry", r, i);
				break;
			default:
				violation("round %u cpu%u released but ended %s", r, i, smp_state_name(s->state));
				break;
			}
		}
		unsigned count = __atomic_load_n(&counter[r], __ATOMIC_ACQUIRE);

		if (count != online + lost_ran)
			violation("round %u counter %u != online %u + lost that ran %u", r, count, online, lost_ran);
	}
	if (__atomic_load_n(&foreign_runs, __ATOMIC_ACQUIRE))
		violation("%u entries ran with another trial's argument (stale command taken)",
			  __atomic_load_n(&foreign_runs, __ATOMIC_ACQUIRE));
	for (unsigned i = 1; i < ncpus; i++) {
		struct sim_stats st;
		uint32_t ack = readl(&mbox_slots[i].st_ack);

		sim_cpu_stats(i, &st);
		if (st.bad_entries)
			violation("cpu%u branched to an unregistered entry (garbage taken)", i);
		if (st.unacked_entries)
			violation("cpu%u ran %u entries before acknowledging PROCEED", i, st.unacked_entries);
		if (st.premature_proceeds)
			violation("cpu%u found PROCEED %u times before it had arrived", i, st.premature_proceeds);
		if (st.stopped)
			continue; /* parked for good by its fault */
		if (mbox_ack_state(ack) != MBOX_STATE_PARKED)
			violation("cpu%u alive but not back in its pen: ack %#x (stuck)", i, (unsigned)ack);
		if (smp_cpus[i].state == SMP_ONLINE && ack != mbox_ack(smp_cpus[i].gen, MBOX_STATE_PARKED))
			violation("cpu%u ONLINE gen %#x but its slot says %#x", i, (unsigned)smp_cpus[i].gen,
				  (unsigned)ack);
		if (smp_cpus[i].state == SMP_TIMEOUT && ack == mbox_ack(smp_cpus[i].gen, MBOX_STATE_PARKED))
			n_late_parked++;
	}
}

static void quiesce_or_die(void)
{
	if (sim_quiesce_within(SETTLE_LIMIT_US))
		return;
	violation("a secondary never parks again (still running after %u s)", SETTLE_LIMIT_US / 1000000U);
	printf("trials: %llu\nhandshakes: %llu\nviolations: %llu\n", trials, handshakes, violations);
	fflush(stdout);
	_Exit(1); /* a CPU that never parks cannot be joined */
}

static void run_trial(uint32_t entry)
{
	unsigned ncpus = 2 + below(PLAT_MAX_CPUS - 1); /* 1..7 secondaries */
	unsigned rounds = 1 + below(MAX_ROUNDS);
	bool slow[PLAT_MAX_CPUS] = { false };
	uint32_t all = ((1U << ncpus) - 1U) & ~1U;
	bool quick = below(100) < 45;

	trial_no = trials;
	memset(recs, 0, sizeof(recs));
	memset(counter, 0, sizeof(counter));
	memset(snaps, 0, sizeof(snaps));
	__atomic_store_n(&foreign_runs, 0U, __ATOMIC_RELEASE);
	__atomic_store_n(&arg_base, (uint32_t)(trials * MAX_ROUNDS + 0x1000U), __ATOMIC_RELEASE);

	struct sim_opts o = { .clock = SIM_CLOCK_REAL, .idle_timeout_us = IDLE_TIMEOUT_US };

	sim_init(&o);
	prepare_mailbox(entry);
	for (unsigned i = 1; i < ncpus; i++) {
		struct sim_cpu_cfg cfg = { 0 };

		slow[i] = pick_faults(&cfg, quick);
		sim_configure(i, &cfg);
	}
	if (!quick && below(100) < 5)
		sim_set_fault_active(FAULT_SPURIOUS_SEV, true);
	if (!quick && below(100) < 3) {
		sim_set_fault_active(FAULT_NO_WAKE, true);
		for (unsigned i = 1; i < ncpus; i++)
			slow[i] = true; /* answers only on idle time-outs */
	}
	/* Cores and CPU0 leave reset together: smp_init races the secondaries' pen_reset. */
	sim_start_mask(all);
	smp_init(ncpus);

	for (unsigned r = 0; r < rounds; r++) {
		uint32_t before[PLAT_MAX_CPUS];

		for (unsigned i = 1; i < ncpus; i++)
			before[i] = smp_cpus[i].gen;
		masks[r] = smp_release(all, entry, arg_base + r);
		for (unsigned i = 1; i < ncpus; i++)
			snaps[r][i] = (struct snap){ .state = smp_cpus[i].state,
						     .gen = smp_cpus[i].gen,
						     .released = smp_cpus[i].gen != before[i] };
		/* Usually let late CPUs finish first; sometimes retry while they still stall. */
		if (r + 1 < rounds && smp_timed_out_mask() && below(2))
			eager_retries++;
		else
			quiesce_or_die();
	}
	quiesce_or_die();
	check_trial(ncpus, rounds, slow);
	sim_shutdown(); /* the mailbox stays: the next trial may boot warm over it */
	trials++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long want = 1000000, seed = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--handshakes") && i + 1 < argc)
			want = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: %s [--handshakes N] [--seed S]\n", argv[0]);
			return 2;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1U;
	uint32_t entry = sim_entry_token(stress_entry);
	double t0 = now_s(), last = t0;

	fprintf(stderr, "stress: seed %llu, deadline %lu ms, until %llu handshakes\n", seed,
		(unsigned long)smp_ack_timeout_ms(), want);
	while (handshakes < want) {
		run_trial(entry);
		if (now_s() - last >= 30.0) {
			last = now_s();
			fprintf(stderr, "stress: %.0f s, %llu trials, %llu handshakes, %llu violations\n",
				last - t0, trials, handshakes, violations);
		}
	}
	fprintf(stderr,
		"stress: %.1f s; outcomes: %llu online, %llu timeout (%llu without a fault), %llu lost "
		"(%llu ran late), %llu arrived late and parked; %llu eager retries\n",
		now_s() - t0, n_online, n_timeout, n_jitter, n_lost, n_lost_ran, n_late_parked, eager_retries);
	sim_exit();
	printf("trials: %llu\nhandshakes: %llu\nviolations: %llu\n", trials, handshakes, violations);
	return violations ? 1 : 0;
}
