/* The generic SMP bring-up: the secondary's pen and CPU0's coordinator. */
#ifndef MUSTER_SMP_H
#define MUSTER_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include <muster/mailbox.h>
#include <muster/platform.h>

#ifndef MUSTER_ACK_TIMEOUT_MS
#define MUSTER_ACK_TIMEOUT_MS 5000
#endif
#define SMP_ACK_TIMEOUT_MIN_MS 1U
#define SMP_ACK_TIMEOUT_MAX_MS 600000U

/*
 * A parked CPU sleeps in WFI until the board's wake-up interrupt, or for at most
 * MUSTER_PEN_POLL_US (plat_cpu_idle's per-CPU timer), then looks at its slot. A command (or
 * verdict) that a poll finds, with no wake-up since, is left until MUSTER_PEN_UNWOKEN_POLLS polls
 * in a row have found it, then taken and counted in st_unwoken: a releaser that forgot the
 * wake-up, or sent only SEV, is served within MUSTER_PEN_UNWOKEN_BOUND_US per handshake step
 * (command, verdict) and shows up in `cpus`, yet a releaser stalled between its DSB and its
 * wake-up for less than (MUSTER_PEN_UNWOKEN_POLLS - 1) polls is never counted. Costs a parked CPU
 * 1 / MUSTER_PEN_POLL_US wake-ups a second (make bench measures the host CPU this takes under
 * QEMU); a board that counts its power may poll less often (make PEN_POLL_US=).
 */
#ifndef MUSTER_PEN_POLL_US /* make PEN_POLL_US= */
#define MUSTER_PEN_POLL_US 10000U
#endif
#if MUSTER_PEN_POLL_US < 1000 || MUSTER_PEN_POLL_US > 1000000
#error "MUSTER_PEN_POLL_US must be 1000..1000000 (plat_cpu_idle's range, and at least a millisecond)"
#endif
#define MUSTER_PEN_UNWOKEN_POLLS 5U
#define MUSTER_PEN_UNWOKEN_BOUND_US (MUSTER_PEN_UNWOKEN_POLLS * MUSTER_PEN_POLL_US)

/* The mailbox slots, one per CPU, at MUSTER_MAILBOX_BASE (linker script). */
extern struct mbox_slot mbox_slots[PLAT_MAX_CPUS];

/* ---- secondary side (smp/pen.c) ------------------------------------------------------ */

/* First act of a secondary after reset: start a new boot epoch in its status line. */
uint32_t pen_reset(struct mbox_slot *slot, uint32_t mpidr);
/* True when the slot holds a command this CPU has not handled yet, addressed to `epoch`. */
bool pen_take(struct mbox_slot *slot, uint32_t epoch, struct mbox_cmd *cmd);
/* Park until a command gets PROCEED; returns it after acknowledging (ONLINE). */
struct mbox_cmd pen_wait(struct mbox_slot *slot, uint32_t epoch, unsigned cpu);
/* Record a breadcrumb: `stage` reached while handling generation `gen` (0 before any). */
void pen_stage(struct mbox_slot *slot, uint32_t gen, uint32_t stage);
/* The pen loop of CPU idx (smp/secondary.c): wait for a command, run its entry, park again. */
void secondary_pen(unsigned idx) __attribute__((noreturn));
/* CPU idx is back from an entry (it returned, or left the OS by PSCI CPU_OFF): PARKED again. */
void secondary_entry_done(unsigned idx);

/* ---- coordinator side (smp/coordinator.c), CPU0 only --------------------------------- */

enum smp_state {
	SMP_ABSENT,   /* not reported by the hardware */
	SMP_OFF,      /* parked, never released */
	SMP_BOOT,     /* the boot CPU (CPU0) */
	SMP_PENDING,  /* released, waiting for ARRIVED */
	SMP_PROCEED,  /* told PROCEED, waiting for its acknowledgment */
	SMP_ONLINE,   /* acknowledged PROCEED */
	SMP_TIMEOUT,  /* no ARRIVED by the deadline: abandoned, parked, may be released again */
	SMP_LOST,     /* told PROCEED, no acknowledgment by the deadline: may be running */
	SMP_FAULTED,  /* took an exception while handling our command */
};

/*
 * What the coordinator knows of a core's power: the one record of it (boards keep none). On a
 * board without a power controller every core leaves reset with CPU0 and is SMP_POWER_ON for
 * good. With PLAT_HAS_CPU_POWER only CPU0 leaves reset: the others are SMP_POWER_OFF until their
 * first release. The hooks are called only where they mean something: plat_cpu_power_on for a
 * core that is OFF or HELD, plat_cpu_hold_in_reset for one that is ON (include/muster/platform.h).
 */
enum smp_power {
	SMP_POWER_ON,   /* may be running: left reset with CPU0, was started, or a hold was not confirmed */
	SMP_POWER_OFF,  /* never started this boot: it has run no instruction since the board's reset */
	SMP_POWER_HELD, /* stopped by a confirmed plat_cpu_hold_in_reset; restarts from its reset vector */
};

struct smp_cpu {
	enum smp_state state;
	enum smp_power power;
	uint32_t mpidr;        /* as expected from the index; the CPU's own read is in the slot */
	uint32_t gen;          /* last generation released */
	uint32_t epoch;        /* the boot epoch last addressed */
	uint64_t released_at;  /* us */
	uint32_t latency_us;   /* release to acknowledgment (ONLINE) */
	uint32_t retries;      /* releases after a timeout */
	bool start_unconfirmed; /* the board did not confirm its last plat_cpu_power_on */
	uint32_t boot_cmd_epoch; /* the epoch the slot's command named when smp_init found it ... */
	bool boot_cmd_valid;     /* ... if it held a valid command then: a previous boot's release */
};

extern struct smp_cpu smp_cpus[PLAT_MAX_CPUS];

/* Take ownership of the command lines of CPUs [0, ncpus) and pick fresh generations. */
void smp_init(unsigned ncpus);
unsigned smp_cpu_total(void);

int smp_set_ack_timeout_ms(uint32_t ms); /* 0, or -1 when out of range */
uint32_t smp_ack_timeout_ms(void);

/*
 * Release every CPU in `mask` at `entry(arg)` in parallel and wait, each until its own deadline,
 * for its acknowledgment. Returns the mask of CPUs that came online. A CPU that is not parked
 * (LOST, FAULTED, PENDING, or running an earlier entry) is refused and left out of the result.
 * CPU0 calls it; under PSCI any CPU may, for disjoint masks at the same time (psci.c makes the
 * caller the target's only releaser): a call touches only its own CPUs' records.
 */
uint32_t smp_release(uint32_t mask, uint32_t entry, uint32_t arg);

/* NULL when CPU idx may be released now; otherwise why not, as a phrase ("is still running..."). */
const char *smp_release_refusal(unsigned idx);

/*
 * Hold in reset every CPU of `mask` that is parked (PLAT_HAS_CPU_POWER boards: plat_cpu_hold_in_reset,
 * confirmed); one never started or already held counts as held. A CPU running an entry, or lost,
 * is left alone: it may be touching shared state. Returns the mask of CPUs now in reset. CPU0 only.
 */
uint32_t smp_hold(uint32_t mask);

/* True when `idx` is online and parked again (its last entry returned), ready for more work. */
bool smp_cpu_idle(unsigned idx);
uint32_t smp_online_mask(void);
uint32_t smp_timed_out_mask(void);

/* After a payload has used the mailboxes itself: adopt the generation each parked CPU last handled. */
void smp_resync(void);

const char *smp_state_name(enum smp_state state);
const char *smp_power_name(enum smp_power power);
const char *smp_stage_name(uint32_t stage);
const char *smp_fault_name(uint32_t fault);

#endif
