/* The simulated platform: secondaries as threads running the real pen, a fake or real clock, injected faults. */
#ifndef MUSTER_SIM_PLATFORM_H
#define MUSTER_SIM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include <muster/smp.h>

/*
 * The calling thread is CPU0 (it runs smp_init/smp_release/smp_report); every secondary is a
 * pthread that runs pen_reset + pen_wait from smp/pen.c, as smp/secondary.c does, then the entry.
 *
 * Clocks. SIM_CLOCK_FAKE is a virtual clock for deterministic tests: it moves only when CPU0 reads
 * it (plat_time_us) or a test advances it, and then only while no secondary can run (each is
 * parked in plat_cpu_idle, stalled by a fault, or stopped). So a secondary that has work to do
 * always does it "in zero time", and only the faults' own delays and the deadline decide who
 * wins a race: the outcome of a test does not depend on how the host schedules threads.
 * SIM_CLOCK_REAL is CLOCK_MONOTONIC, for the stress, where the host's scheduling is the point.
 */
enum sim_clock { SIM_CLOCK_FAKE, SIM_CLOCK_REAL };

struct sim_opts {
	enum sim_clock clock;
	uint64_t quantum_us;      /* fake clock: most it moves per plat_time_us() (default 100) */
	uint64_t idle_timeout_us; /* plat_cpu_idle returns unwoken after this: a spurious wake-up; 0 = never */
	uint64_t wake_delay_us;   /* CPU0 stalls this long in plat_wake_cpu, before the SGI: a releaser
				   * descheduled between its DSB and its wake-up (fake clock only) */
};

enum sim_fault_kind {
	SIM_FAULT_NONE,
	SIM_FAULT_NEVER, /* stop at the stage for good (never arrive, or hang after PROCEED) */
	SIM_FAULT_DELAY, /* stall delay_us at the stage, then go on (late arrival, late acknowledgment) */
	SIM_FAULT_RESET, /* reset at the stage: back to pen_reset, which starts a new epoch */
	SIM_FAULT_ABORT, /* take an exception at the stage: recorded in the slot as core/exception.c does */
};

/* A fault fires once per sim_start of the CPU (a reset it causes does not re-arm it). */
struct sim_fault {
	enum sim_fault_kind kind;
	uint32_t stage; /* MBOX_STAGE_RESET, _PEN, _CMD or _PROCEED: where the pen calls fault_point */
	uint64_t delay_us;
};

#define SIM_MAX_FAULTS 4

struct sim_cpu_cfg {
	uint64_t reset_delay_us; /* stall before pen_reset: a core slow to come out of reset */
	uint32_t mpidr;          /* what the CPU reads as its MPIDR; 0 = cpu_mpidr_of(idx) */
	struct sim_fault faults[SIM_MAX_FAULTS];
};

/* What a secondary did, for assertions. */
struct sim_stats {
	unsigned boots;       /* pen_reset calls (1 + resets) */
	unsigned entries;     /* entries run (known tokens) */
	unsigned bad_entries; /* PROCEED at a token no test registered: a jump to garbage */
	unsigned unacked_entries;    /* entries started without ONLINE|gen in the slot first */
	unsigned premature_proceeds; /* commands that already said PROCEED before the CPU arrived */
	uint32_t last_gen;    /* generation and argument of the last entry run */
	uint32_t last_arg;
	bool stopped;         /* parked for good by a NEVER or ABORT fault */
	bool exited;          /* powered off (after sim_shutdown) */
};

/* An entry: the sim calls it with the CPU index and the generation it was released under. */
typedef void (*sim_entry_fn)(unsigned cpu, uint32_t gen, uint32_t arg);

/* Reset the simulation (no CPU thread may be running) and choose the clock. */
void sim_init(const struct sim_opts *opts);
/* Faults and MPIDR of CPU idx (1..PLAT_MAX_CPUS-1), before sim_start. */
void sim_configure(unsigned idx, const struct sim_cpu_cfg *cfg);
/* Bring CPU idx out of reset: its thread starts with pen_reset. */
void sim_start(unsigned idx);
/* sim_start for every bit set in mask (bit 0 ignored: CPU0 is the caller). */
void sim_start_mask(uint32_t mask);
/* Power every secondary off wherever it is (its thread waits to be started again); the mailbox is
 * left as they left it. */
void sim_shutdown(void);
/* sim_shutdown, then end and join every CPU thread: once, at the end of the program. */
void sim_exit(void);

/* Wait until no secondary can run (real clock: and none is stalled in a DELAY fault). Aborts the
 * program after 20 s: a secondary that never parks would otherwise hang the run. */
void sim_settle(void);
/* sim_settle, then wake every CPU for nothing and settle again, twice: whatever a CPU still had
 * to notice (a verdict it slept through) it has acted on when this returns. */
void sim_quiesce(void);
/* The same, false instead of aborting when some wait takes longer than max_us. */
bool sim_settle_within(uint64_t max_us);
bool sim_quiesce_within(uint64_t max_us);
/* Move the clock on by us (fake: step by step, firing stalls and idle time-outs in order;
 * real: sleep), then settle. */
void sim_advance_us(uint64_t us);
/* The sim's clock without moving it (plat_time_us may move the fake clock). */
uint64_t sim_now_us(void);

/* Make fault_active(kind) true or false: FAULT_SPURIOUS_SEV, FAULT_NO_WAKE (CPU0-side faults). */
void sim_set_fault_active(unsigned kind, bool on);

/* An entry address for mbox_cmd.entry (a 32-bit word): the sim dispatches it to fn. */
uint32_t sim_entry_token(sim_entry_fn fn);
/* From inside an entry: block until sim_gate_open(own index) (or shutdown). */
void sim_entry_wait_gate(void);
void sim_gate_open(unsigned idx);

void sim_cpu_stats(unsigned idx, struct sim_stats *out);
/* Number of plat_wake_cpu(idx) calls since sim_init. */
unsigned sim_wakes_sent(unsigned idx);

/* Fill every word of the mailbox area (no CPU thread may be running). */
void sim_fill_mailbox(uint32_t word);
void sim_fill_mailbox_random(uint64_t seed);

/* Everything smp_report (and anything else) printed through con_printf/con_puts. */
const char *sim_console(void);
void sim_console_clear(void);

#endif
