/* The simulated platform: the plat_* hooks, fault points and console the real smp/ code calls, on pthreads. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/smp.h>

#include "sim_platform.h"

#define SIM_NEVER UINT64_MAX
#define SIM_MAX_ENTRIES 16
/* Entry tokens look like addresses in muster's RAM, so a token is a plausible mbox_cmd.entry. */
#define SIM_ENTRY_BASE 0x63f80000U
#define SIM_ENTRY_STRIDE 0x100U
/* A fake clock that CPU0 cannot move, or a settle that does not come, for this long (real time)
 * means a secondary never parks: fail loudly instead of hanging the test run. */
#define SIM_STUCK_US 20000000U

/* Why a secondary is blocked; it decides who may unblock it. */
enum sim_wait {
	WAIT_NONE,
	WAIT_IDLE,    /* plat_cpu_idle: a wake-up, its time-out, or shutdown */
	WAIT_DELAY,   /* a DELAY fault or a slow reset: its time, or shutdown */
	WAIT_STOPPED, /* a NEVER/ABORT fault: shutdown only */
	WAIT_GATE,    /* an entry waiting for the test: sim_gate_open, or shutdown */
};

struct sim_cpu {
	unsigned idx;
	bool started; /* powered on, not yet shut down (CPU0's view) */
	/* Under sim.lock: */
	bool blocked;
	enum sim_wait wait;
	uint64_t wait_until;
	bool wake_pending; /* a latched wake-up, as an SGI stays pending while the core runs */
	bool exit_req;
	bool gate_open;
	unsigned wakes_sent;
	/* Fixed before the thread starts; the thread's own from then on: */
	struct sim_cpu_cfg cfg;
	bool fired[SIM_MAX_FAULTS];
	bool reset_delay_done;
	jmp_buf reset_jmp, exit_jmp;
	/* Read by CPU0 while the thread runs: atomics. */
	unsigned boots, entries, bad_entries, unacked_entries, premature_proceeds;
	uint32_t last_gen, last_arg;
	bool stopped, exited;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t settled; /* broadcast when the last runnable secondary blocks or exits */
	bool ready;
	struct sim_opts opts;
	uint64_t now;     /* fake clock, us */
	uint64_t origin;  /* real clock: CLOCK_MONOTONIC us at sim_init */
	unsigned runnable; /* started, not exited, not blocked */
	unsigned delaying; /* blocked in WAIT_DELAY */
	uint64_t stuck_since; /* fake clock: real time it last moved (or reads resumed) */
	uint64_t last_read;   /* fake clock: real time of the last plat_time_us */
	unsigned fault_kinds; /* bit per FAULT_* kind made active: atomic */
	unsigned events;      /* SEV count: atomic */
	struct sim_cpu cpu[PLAT_MAX_CPUS];
} sim = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Apart from struct sim_cpu, which sim_init clears: a condition variable is never copied or reset,
 * and the threads outlive a simulation. Each secondary's thread is created once and then powered
 * on and off (sim_start, sim_shutdown) as often as the tests like: creating threads costs far more
 * than a handshake under ThreadSanitizer, and the stress boots the board hundreds of thousands of
 * times. Powering on starts a new life at pen_reset; nothing of the previous life survives but
 * the mailbox, as on hardware.
 */
static pthread_cond_t cpu_cv[PLAT_MAX_CPUS];
static struct {
	pthread_t thread;
	bool alive;     /* created, not joined */
	bool power;     /* under sim.lock: CPU0 asks for a life */
	bool terminate; /* under sim.lock: end the thread (sim_exit) */
} pool[PLAT_MAX_CPUS];
static sim_entry_fn entries[SIM_MAX_ENTRIES]; /* atomic pointers */

static __thread struct sim_cpu *self; /* NULL on CPU0 (the test's main thread) */

static char con_buf[1 << 16];
static size_t con_len;

static void sim_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void sim_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sim: fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000U + (uint64_t)ts.tv_nsec / 1000U;
}

static uint64_t now_locked(void)
{
	return sim.opts.clock == SIM_CLOCK_FAKE ? sim.now : mono_us() - sim.origin;
}

static bool sim_is_real(void)
{
	return sim.opts.clock == SIM_CLOCK_REAL;
}

/* ---- blocking: every wait of a secondary goes through here, so "runnable" is exact ---------- */

static void unblock_locked(struct sim_cpu *c)
{
	if (!c->blocked)
		return;
	c->blocked = false;
	if (c->wait == WAIT_DELAY)
		sim.delaying--;
	c->wait = WAIT_NONE;
	sim.runnable++; /* counted by the waker, so no clock step can slip in before the CPU runs */
	pthread_cond_signal(&cpu_cv[c->idx]);
}

static void exit_now_locked(struct sim_cpu *c) __attribute__((noreturn));
static void exit_now_locked(struct sim_cpu *c)
{
	pthread_mutex_unlock(&sim.lock);
	longjmp(c->exit_jmp, 1);
}

/* Block the calling secondary (sim.lock held) until someone allowed by `why` unblocks it or,
 * with a time, until the clock reaches `until`. Leaves the thread on shutdown. */
static void block_locked(struct sim_cpu *c, enum sim_wait why, uint64_t until)
{
	if (c->exit_req)
		exit_now_locked(c);
	c->blocked = true;
	c->wait = why;
	c->wait_until = until;
	if (why == WAIT_DELAY)
		sim.delaying++;
	if (--sim.runnable == 0)
		pthread_cond_broadcast(&sim.settled);
	while (c->blocked) {
		if (sim_is_real() && until != SIM_NEVER) {
			uint64_t abs = sim.origin + until;
			struct timespec ts = { .tv_sec = (time_t)(abs / 1000000U),
					       .tv_nsec = (long)(abs % 1000000U) * 1000L };

			pthread_cond_timedwait(&cpu_cv[c->idx], &sim.lock, &ts);
			if (c->blocked && now_locked() >= until)
				unblock_locked(c);
		} else {
			pthread_cond_wait(&cpu_cv[c->idx], &sim.lock);
		}
	}
	if (c->exit_req)
		exit_now_locked(c);
}

/* Fake clock (sim.lock held, nobody runnable): move towards `limit`, stopping at the first
 * timed wait that falls due, and release every wait due by then. */
static void advance_locked(uint64_t limit)
{
	uint64_t next = limit;

	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++)
		if (sim.cpu[i].blocked && sim.cpu[i].wait_until < next)
			next = sim.cpu[i].wait_until;
	if (next > sim.now)
		sim.now = next;
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++)
		if (sim.cpu[i].blocked && sim.cpu[i].wait_until <= sim.now)
			unblock_locked(&sim.cpu[i]);
}

static void stall(struct sim_cpu *c, uint64_t us)
{
	pthread_mutex_lock(&sim.lock);
	block_locked(c, WAIT_DELAY, now_locked() + us);
	pthread_mutex_unlock(&sim.lock);
}

static void __attribute__((noreturn)) stop_forever(struct sim_cpu *c)
{
	__atomic_store_n(&c->stopped, true, __ATOMIC_RELEASE);
	pthread_mutex_lock(&sim.lock);
	for (;;)
		block_locked(c, WAIT_STOPPED, SIM_NEVER); /* leaves only on shutdown */
}

/* ---- the hooks smp/ calls ------------------------------------------------------------------ */

uint32_t host_current_mpidr(void)
{
	if (!self)
		return cpu_mpidr_of(0);
	return self->cfg.mpidr ? self->cfg.mpidr : cpu_mpidr_of(self->idx);
}

void host_sev(void)
{
	__atomic_fetch_add(&sim.events, 1U, __ATOMIC_ACQ_REL);
}

/* Nothing in smp/ waits in WFE on the host; a payload-style waiter would see the next SEV. */
void host_wfe(void)
{
	unsigned seen = __atomic_load_n(&sim.events, __ATOMIC_ACQUIRE);

	for (int i = 0; i < 1000 && __atomic_load_n(&sim.events, __ATOMIC_ACQUIRE) == seen; i++)
		sched_yield();
}

uint64_t plat_time_us(void)
{
	uint64_t t;
	bool moved = false;

	if (sim_is_real())
		return mono_us() - sim.origin;
	pthread_mutex_lock(&sim.lock);
	if (sim.runnable == 0) {
		uint64_t before = sim.now;

		advance_locked(sim.now + sim.opts.quantum_us);
		moved = sim.now != before;
	}
	/* The watchdog counts only a run of reads that cannot move the clock, read after read. */
	uint64_t real = mono_us();

	if (moved || real - sim.last_read > 1000000U)
		sim.stuck_since = real;
	else if (real - sim.stuck_since > SIM_STUCK_US)
		sim_die("the fake clock cannot move: a secondary runs without ever parking (runnable %u)",
			sim.runnable);
	sim.last_read = real;
	t = sim.now;
	pthread_mutex_unlock(&sim.lock);
	if (!moved)
		sched_yield(); /* a secondary has work: let it have the core */
	return t;
}

uint32_t plat_counter(void)
{
	return (uint32_t)sim_now_us();
}

unsigned plat_cpu_count(void)
{
	return PLAT_MAX_CPUS;
}

void plat_smp_init(void)
{
}

void plat_secondary_init(void)
{
}

void plat_wake_cpu(unsigned idx)
{
	if (idx == 0 || idx >= PLAT_MAX_CPUS)
		return;
	struct sim_cpu *c = &sim.cpu[idx];

	if (sim.opts.wake_delay_us && !sim_is_real())
		sim_advance_us(sim.opts.wake_delay_us); /* the command is published; the SGI is late */
	pthread_mutex_lock(&sim.lock);
	c->wakes_sent++;
	c->wake_pending = true;
	if (c->blocked && c->wait == WAIT_IDLE)
		unblock_locked(c);
	pthread_mutex_unlock(&sim.lock);
}

bool plat_cpu_idle(uint32_t max_us)
{
	struct sim_cpu *c = self;
	bool woken;

	if (!c)
		sim_die("plat_cpu_idle called on CPU0");
	if (max_us > 1000000U)
		sim_die("plat_cpu_idle(%u): outside the hook's range 0..1000000", (unsigned)max_us);
	pthread_mutex_lock(&sim.lock);
	if (!c->wake_pending) {
		/* The board's poll timer (none for 0), or sooner the test's spurious wake-up. */
		uint64_t after = max_us ? max_us : SIM_NEVER;

		if (sim.opts.idle_timeout_us && sim.opts.idle_timeout_us < after)
			after = sim.opts.idle_timeout_us;
		block_locked(c, WAIT_IDLE, after == SIM_NEVER ? SIM_NEVER : now_locked() + after);
	} else if (c->exit_req) {
		exit_now_locked(c);
	}
	woken = c->wake_pending;
	c->wake_pending = false; /* taken: like acknowledging the SGI */
	pthread_mutex_unlock(&sim.lock);
	return woken;
}

int fault_active(unsigned kind)
{
	return kind < 32 && (__atomic_load_n(&sim.fault_kinds, __ATOMIC_ACQUIRE) & (1U << kind)) != 0;
}

/* What core/exception.c records for a data abort, then the CPU stops. */
static void __attribute__((noreturn)) take_abort(struct sim_cpu *c)
{
	struct mbox_slot *slot = &mbox_slots[c->idx];
	uint32_t gen = mbox_ack_gen(readl(&slot->st_stage));

	writel(MBOX_FAULT_DABT, &slot->st_fault);
	writel(0x63f01234U, &slot->st_fault_pc);
	writel(MUSTER_RAM_BASE + 2U, &slot->st_fault_addr);
	writel(mbox_ack(gen, MBOX_STATE_FAULTED), &slot->st_ack); /* the record before the state */
	dsb(); /* the record is visible before we stop */
	sev();
	stop_forever(c);
}

void fault_point(unsigned cpu, uint32_t stage)
{
	struct sim_cpu *c = self;

	if (!c || c->idx != cpu)
		sim_die("fault_point(cpu %u) called from the wrong thread", cpu);
	if (stage == MBOX_STAGE_CMD) {
		/* The pen took a command and has not announced ARRIVED yet: the releaser cannot have
		 * decided PROCEED for it (it decides only on ARRIVED). */
		const struct mbox_slot *slot = &mbox_slots[cpu];
		uint32_t gen = mbox_ack_gen(readl(&slot->st_stage));

		if (readl(&slot->cmd_verdict) == ((gen << 8) | MBOX_VERDICT_PROCEED))
			__atomic_fetch_add(&c->premature_proceeds, 1U, __ATOMIC_ACQ_REL);
	}
	for (unsigned i = 0; i < SIM_MAX_FAULTS; i++) {
		const struct sim_fault *f = &c->cfg.faults[i];

		if (f->kind == SIM_FAULT_NONE || f->stage != stage || c->fired[i])
			continue;
		c->fired[i] = true;
		switch (f->kind) {
		case SIM_FAULT_NEVER:
			stop_forever(c);
		case SIM_FAULT_DELAY:
			stall(c, f->delay_us);
			break;
		case SIM_FAULT_RESET:
			longjmp(c->reset_jmp, 1);
		case SIM_FAULT_ABORT:
			take_abort(c);
		default:
			break;
		}
	}
}

/* ---- console capture (smp_report prints through these) ------------------------------------ */

void con_init(void)
{
}

void con_puts(const char *s)
{
	size_t n = strlen(s), room = sizeof(con_buf) - 1 - con_len;

	if (n > room)
		n = room;
	memcpy(con_buf + con_len, s, n);
	con_len += n;
	con_buf[con_len] = '\0';
}

int con_vprintf(const char *fmt, va_list ap)
{
	char line[512];
	int len = vsnprintf(line, sizeof(line), fmt, ap);

	con_puts(line);
	return len;
}

int con_printf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = con_vprintf(fmt, ap);
	va_end(ap);
	return len;
}

const char *sim_console(void)
{
	return con_buf;
}

void sim_console_clear(void)
{
	con_len = 0;
	con_buf[0] = '\0';
}

/* ---- a secondary's life, as smp/secondary.c lives it -------------------------------------- */

static void run_entry(struct sim_cpu *c, const struct mbox_cmd *cmd)
{
	uint32_t off = cmd->entry - SIM_ENTRY_BASE;
	sim_entry_fn fn = NULL;

	if (cmd->entry >= SIM_ENTRY_BASE && off % SIM_ENTRY_STRIDE == 0 && off / SIM_ENTRY_STRIDE < SIM_MAX_ENTRIES)
		fn = __atomic_load_n(&entries[off / SIM_ENTRY_STRIDE], __ATOMIC_ACQUIRE);
	/* The pen acknowledges PROCEED (ONLINE|gen, in its own status line) before any entry runs. */
	if (readl(&mbox_slots[c->idx].st_ack) != mbox_ack(cmd->gen, MBOX_STATE_ONLINE))
		__atomic_fetch_add(&c->unacked_entries, 1U, __ATOMIC_ACQ_REL);
	if (!fn) {
		/* On hardware the core would branch into garbage; here it stops, and tests see it. */
		__atomic_fetch_add(&c->bad_entries, 1U, __ATOMIC_ACQ_REL);
		stop_forever(c);
	}
	__atomic_store_n(&c->last_gen, cmd->gen, __ATOMIC_RELEASE);
	__atomic_store_n(&c->last_arg, cmd->arg, __ATOMIC_RELEASE);
	__atomic_fetch_add(&c->entries, 1U, __ATOMIC_ACQ_REL);
	fn(c->idx, cmd->gen, cmd->arg);
}

static void __attribute__((noreturn)) cpu_life(struct sim_cpu *c)
{
	struct mbox_slot *slot = &mbox_slots[c->idx];

	if (c->cfg.reset_delay_us && !c->reset_delay_done) {
		c->reset_delay_done = true;
		stall(c, c->cfg.reset_delay_us);
	}
	uint32_t epoch = pen_reset(slot, read_mpidr());

	__atomic_fetch_add(&c->boots, 1U, __ATOMIC_ACQ_REL);
	fault_point(c->idx, MBOX_STAGE_RESET);
	plat_secondary_init();
	pen_stage(slot, 0, MBOX_STAGE_PEN);
	fault_point(c->idx, MBOX_STAGE_PEN);
	for (;;) {
		struct mbox_cmd cmd = pen_wait(slot, epoch, c->idx);

		pen_stage(slot, cmd.gen, MBOX_STAGE_ENTRY);
		run_entry(c, &cmd);
		/* The entry returned: back in the pen, as smp/secondary.c does. */
		writel(mbox_ack(cmd.gen, MBOX_STATE_PARKED), &slot->st_ack);
		pen_stage(slot, cmd.gen, MBOX_STAGE_PEN);
	}
}

static void *cpu_thread(void *arg)
{
	struct sim_cpu *c = arg;
	unsigned idx = c->idx;

	self = c;
	for (;;) {
		/* Powered off: not a CPU of the simulation, not counted as runnable. */
		pthread_mutex_lock(&sim.lock);
		while (!pool[idx].power && !pool[idx].terminate)
			pthread_cond_wait(&cpu_cv[idx], &sim.lock);
		bool done = pool[idx].terminate;

		pthread_mutex_unlock(&sim.lock);
		if (done)
			return NULL;
		if (setjmp(c->exit_jmp) == 0) {
			/* A RESET fault comes back here and starts the CPU's life over: a new epoch. */
			(void)setjmp(c->reset_jmp);
			cpu_life(c);
		}
		pthread_mutex_lock(&sim.lock);
		pool[idx].power = false;
		__atomic_store_n(&c->exited, true, __ATOMIC_RELEASE);
		sim.runnable--;
		pthread_cond_broadcast(&sim.settled); /* settlers, and sim_shutdown waiting for this exit */
		pthread_mutex_unlock(&sim.lock);
	}
}

/* ---- control, for tests ------------------------------------------------------------------- */

static void init_cond(pthread_cond_t *cv)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* timed waits on the clock plat_time_us reads */
	pthread_cond_init(cv, &attr);
	pthread_condattr_destroy(&attr);
}

void sim_init(const struct sim_opts *opts)
{
	pthread_mutex_lock(&sim.lock);
	if (!sim.ready) {
		init_cond(&sim.settled);
		for (unsigned i = 0; i < PLAT_MAX_CPUS; i++)
			init_cond(&cpu_cv[i]);
		sim.ready = true;
	}
	for (unsigned i = 0; i < PLAT_MAX_CPUS; i++)
		if (sim.cpu[i].started)
			sim_die("sim_init with cpu%u still running", i);
	sim.opts = *opts;
	if (!sim.opts.quantum_us)
		sim.opts.quantum_us = 100;
	sim.now = 0;
	sim.origin = mono_us();
	sim.runnable = 0;
	sim.delaying = 0;
	sim.stuck_since = 0;
	sim.last_read = 0;
	__atomic_store_n(&sim.fault_kinds, 0U, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < PLAT_MAX_CPUS; i++) {
		struct sim_cpu *c = &sim.cpu[i];

		memset(c, 0, sizeof(*c));
		c->idx = i;
	}
	pthread_mutex_unlock(&sim.lock);
}

void sim_configure(unsigned idx, const struct sim_cpu_cfg *cfg)
{
	if (idx == 0 || idx >= PLAT_MAX_CPUS || sim.cpu[idx].started)
		sim_die("sim_configure(%u): not a stopped secondary", idx);
	sim.cpu[idx].cfg = *cfg;
}

void sim_start(unsigned idx)
{
	if (idx == 0 || idx >= PLAT_MAX_CPUS || sim.cpu[idx].started)
		sim_die("sim_start(%u): not a stopped secondary", idx);
	struct sim_cpu *c = &sim.cpu[idx];

	pthread_mutex_lock(&sim.lock);
	memset(c->fired, 0, sizeof(c->fired));
	c->reset_delay_done = false;
	c->exit_req = false;
	c->blocked = false;
	c->wait = WAIT_NONE;
	c->wake_pending = false;
	c->gate_open = false;
	__atomic_store_n(&c->stopped, false, __ATOMIC_RELEASE);
	__atomic_store_n(&c->exited, false, __ATOMIC_RELEASE);
	sim.runnable++; /* runnable from power-on: the clock waits for it to park */
	c->started = true;
	pool[idx].power = true;
	pthread_cond_signal(&cpu_cv[idx]);
	pthread_mutex_unlock(&sim.lock);
	if (!pool[idx].alive) {
		int err = pthread_create(&pool[idx].thread, NULL, cpu_thread, c);

		if (err)
			sim_die("pthread_create: %s", strerror(err));
		pool[idx].alive = true;
	}
}

void sim_start_mask(uint32_t mask)
{
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++)
		if (mask & (1U << i))
			sim_start(i);
}

void sim_shutdown(void)
{
	pthread_mutex_lock(&sim.lock);
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++) {
		if (!sim.cpu[i].started)
			continue;
		sim.cpu[i].exit_req = true;
		unblock_locked(&sim.cpu[i]); /* whatever it waits for; it leaves at once */
	}
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++) {
		if (!sim.cpu[i].started)
			continue;
		uint64_t abs = mono_us() + SIM_STUCK_US;
		struct timespec ts = { .tv_sec = (time_t)(abs / 1000000U), .tv_nsec = (long)(abs % 1000000U) * 1000L };

		while (!__atomic_load_n(&sim.cpu[i].exited, __ATOMIC_ACQUIRE))
			if (pthread_cond_timedwait(&sim.settled, &sim.lock, &ts) == ETIMEDOUT)
				sim_die("cpu%u does not power off: it runs without ever parking", i);
		sim.cpu[i].started = false;
	}
	if (sim.runnable != 0)
		sim_die("shutdown left %u runnable", sim.runnable);
	pthread_mutex_unlock(&sim.lock);
}

void sim_exit(void)
{
	sim_shutdown();
	pthread_mutex_lock(&sim.lock);
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++) {
		pool[i].terminate = true;
		pthread_cond_signal(&cpu_cv[i]);
	}
	pthread_mutex_unlock(&sim.lock);
	for (unsigned i = 1; i < PLAT_MAX_CPUS; i++) {
		if (!pool[i].alive)
			continue;
		pthread_join(pool[i].thread, NULL);
		pool[i].alive = false;
	}
}

bool sim_settle_within(uint64_t max_us)
{
	uint64_t abs = mono_us() + max_us;
	struct timespec ts = { .tv_sec = (time_t)(abs / 1000000U), .tv_nsec = (long)(abs % 1000000U) * 1000L };
	bool settled = true;

	pthread_mutex_lock(&sim.lock);
	while (settled && (sim.runnable > 0 || (sim_is_real() && sim.delaying > 0)))
		if (pthread_cond_timedwait(&sim.settled, &sim.lock, &ts) == ETIMEDOUT)
			settled = sim.runnable == 0 && !(sim_is_real() && sim.delaying > 0);
	pthread_mutex_unlock(&sim.lock);
	return settled;
}

void sim_settle(void)
{
	if (!sim_settle_within(SIM_STUCK_US))
		sim_die("no settling within %u s: a secondary runs without ever parking", SIM_STUCK_US / 1000000U);
}

bool sim_quiesce_within(uint64_t max_us)
{
	if (!sim_settle_within(max_us))
		return false;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 1; i < PLAT_MAX_CPUS; i++)
			if (sim.cpu[i].started)
				plat_wake_cpu(i);
		if (!sim_settle_within(max_us))
			return false;
	}
	return true;
}

void sim_quiesce(void)
{
	if (!sim_quiesce_within(SIM_STUCK_US))
		sim_die("no settling within %u s: a secondary runs without ever parking", SIM_STUCK_US / 1000000U);
}

void sim_advance_us(uint64_t us)
{
	if (sim_is_real()) {
		struct timespec ts = { .tv_sec = (time_t)(us / 1000000U), .tv_nsec = (long)(us % 1000000U) * 1000L };

		nanosleep(&ts, NULL);
		sim_settle();
		return;
	}
	pthread_mutex_lock(&sim.lock);
	uint64_t target = sim.now + us;

	for (;;) {
		while (sim.runnable > 0)
			pthread_cond_wait(&sim.settled, &sim.lock);
		if (sim.now >= target)
			break;
		advance_locked(target);
	}
	pthread_mutex_unlock(&sim.lock);
}

uint64_t sim_now_us(void)
{
	pthread_mutex_lock(&sim.lock);
	uint64_t t = now_locked();

	pthread_mutex_unlock(&sim.lock);
	return t;
}

void sim_set_fault_active(unsigned kind, bool on)
{
	if (kind >= 32)
		return;
	if (on)
		__atomic_fetch_or(&sim.fault_kinds, 1U << kind, __ATOMIC_ACQ_REL);
	else
		__atomic_fetch_and(&sim.fault_kinds, ~(1U << kind), __ATOMIC_ACQ_REL);
}

uint32_t sim_entry_token(sim_entry_fn fn)
{
	for (unsigned i = 1; i < SIM_MAX_ENTRIES; i++) { /* slot 0 unused: base itself is no entry */
		sim_entry_fn cur = __atomic_load_n(&entries[i], __ATOMIC_ACQUIRE);

		if (cur == fn)
			return SIM_ENTRY_BASE + i * SIM_ENTRY_STRIDE;
		if (!cur) {
			__atomic_store_n(&entries[i], fn, __ATOMIC_RELEASE);
			return SIM_ENTRY_BASE + i * SIM_ENTRY_STRIDE;
		}
	}
	sim_die("too many entries");
}

void sim_entry_wait_gate(void)
{
	struct sim_cpu *c = self;

	if (!c)
		sim_die("sim_entry_wait_gate outside a secondary");
	pthread_mutex_lock(&sim.lock);
	if (!c->gate_open)
		block_locked(c, WAIT_GATE, SIM_NEVER);
	c->gate_open = false;
	pthread_mutex_unlock(&sim.lock);
}

void sim_gate_open(unsigned idx)
{
	struct sim_cpu *c = &sim.cpu[idx];

	pthread_mutex_lock(&sim.lock);
	c->gate_open = true;
	if (c->blocked && c->wait == WAIT_GATE)
		unblock_locked(c);
	pthread_mutex_unlock(&sim.lock);
}

void sim_cpu_stats(unsigned idx, struct sim_stats *out)
{
	const struct sim_cpu *c = &sim.cpu[idx];

	*out = (struct sim_stats){
		.boots = __atomic_load_n(&c->boots, __ATOMIC_ACQUIRE),
		.entries = __atomic_load_n(&c->entries, __ATOMIC_ACQUIRE),
		.bad_entries = __atomic_load_n(&c->bad_entries, __ATOMIC_ACQUIRE),
		.unacked_entries = __atomic_load_n(&c->unacked_entries, __ATOMIC_ACQUIRE),
		.premature_proceeds = __atomic_load_n(&c->premature_proceeds, __ATOMIC_ACQUIRE),
		.last_gen = __atomic_load_n(&c->last_gen, __ATOMIC_ACQUIRE),
		.last_arg = __atomic_load_n(&c->last_arg, __ATOMIC_ACQUIRE),
		.stopped = __atomic_load_n(&c->stopped, __ATOMIC_ACQUIRE),
		.exited = __atomic_load_n(&c->exited, __ATOMIC_ACQUIRE),
	};
}

unsigned sim_wakes_sent(unsigned idx)
{
	pthread_mutex_lock(&sim.lock);
	unsigned n = sim.cpu[idx].wakes_sent;

	pthread_mutex_unlock(&sim.lock);
	return n;
}

#define MBOX_WORDS (PLAT_MAX_CPUS * MBOX_SLOT_SIZE / 4U) /* the mailbox as a run of words */

static void check_quiet(const char *what)
{
	for (unsigned i = 0; i < PLAT_MAX_CPUS; i++)
		if (sim.cpu[i].started)
			sim_die("%s with cpu%u running", what, i);
}

void sim_fill_mailbox(uint32_t word)
{
	uint32_t *w = (uint32_t *)(void *)mbox_slots;

	check_quiet("sim_fill_mailbox");
	for (size_t i = 0; i < MBOX_WORDS; i++)
		__atomic_store_n(&w[i], word, __ATOMIC_RELAXED);
}

void sim_fill_mailbox_random(uint64_t seed)
{
	uint32_t *w = (uint32_t *)(void *)mbox_slots;
	uint64_t x = seed ? seed : 0x9e3779b97f4a7c15ULL;

	check_quiet("sim_fill_mailbox_random");
	for (size_t i = 0; i < MBOX_WORDS; i++) {
		x ^= x << 13; /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		__atomic_store_n(&w[i], (uint32_t)(x >> 16), __ATOMIC_RELAXED);
	}
}
