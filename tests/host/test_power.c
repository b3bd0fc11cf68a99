/*
 * cmocka unit tests of the coordinator's power-state tracking (smp/coordinator.c, core/report.c)
 * on a board with a power controller (power/board.h): the hooks are called only where they mean
 * something, a hold counts only when the board confirms it, and a retry after a confirmed hold
 * restarts the core from reset (a new epoch). The secondaries are stepped synchronously on the
 * test's thread by the fake clock, each as a small state machine around the real pen_reset and
 * pen_take (smp/pen.c): no threads, every run the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/report.h>
#include <muster/smp.h>

enum core_step { CORE_OFF, CORE_RESET, CORE_PEN, CORE_ARRIVED };

struct core {
	enum core_step step;
	uint32_t epoch, gen;
	bool mute;          /* alive but never takes a command (it missed its deadline) */
	int start_answer;   /* what plat_cpu_power_on returns; -1: the controller refuses to start it */
	bool start_lost;    /* the controller says started but the core stays off */
	int hold_answer;    /* what plat_cpu_hold_in_reset returns; -1: unconfirmed, the core runs on */
	unsigned starts, holds;
	unsigned bad_calls; /* a hook called where the coordinator's own record says it means nothing */
};

static struct core cores[PLAT_MAX_CPUS];
static uint64_t now_us;
static char con_buf[16384];
static size_t con_len;

/* ---- the hooks and services the code under test calls --------------------------------------- */

uint32_t host_current_mpidr(void)
{
	return cpu_mpidr_of(0);
}

void host_sev(void)
{
}

void host_wfe(void)
{
}

int fault_active(unsigned kind)
{
	(void)kind;
	return 0;
}

void fault_point(unsigned cpu, uint32_t stage)
{
	(void)cpu;
	(void)stage;
}

/* One step of a running secondary, as smp/secondary.c and pen_wait would take it. */
static void step_core(unsigned idx)
{
	struct core *c = &cores[idx];
	struct mbox_slot *slot = &mbox_slots[idx];
	struct mbox_cmd cmd;
	uint32_t verdict;

	switch (c->step) {
	case CORE_OFF:
		return;
	case CORE_RESET:
		c->epoch = pen_reset(slot, cpu_mpidr_of(idx));
		pen_stage(slot, 0, MBOX_STAGE_PEN);
		c->step = CORE_PEN;
		return;
	case CORE_PEN:
		if (c->mute || !pen_take(slot, c->epoch, &cmd))
			return;
		c->gen = cmd.gen;
		pen_stage(slot, cmd.gen, MBOX_STAGE_CMD);
		writel(mbox_ack(cmd.gen, MBOX_STATE_ARRIVED), &slot->st_ack);
		c->step = CORE_ARRIVED;
		return;
	case CORE_ARRIVED:
		verdict = readl(&slot->cmd_verdict);
		if (verdict == mbox_ack(c->gen, MBOX_VERDICT_PROCEED)) /* ONLINE, the entry returns at once */
			writel(mbox_ack(c->gen, MBOX_STATE_ONLINE), &slot->st_ack);
		else if (verdict != mbox_ack(c->gen, MBOX_VERDICT_ABANDON) &&
			 (mbox_ack_gen(verdict) == c->gen || (verdict == 0 && readl(&slot->cmd_gen) == c->gen)))
			return; /* undecided; anything else is ABANDON, or a newer generation (superseded) */
		writel(mbox_ack(c->gen, MBOX_STATE_PARKED), &slot->st_ack);
		pen_stage(slot, c->gen, MBOX_STAGE_PEN);
		c->step = CORE_PEN;
		return;
	}
}

uint64_t plat_time_us(void)
{
	now_us += 100; /* the coordinator polls: time passes and every running core takes a step */
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++)
		step_core(idx);
	return now_us;
}

uint32_t plat_counter(void)
{
	return (uint32_t)now_us;
}

void plat_wake_cpu(unsigned idx)
{
	(void)idx;
}

bool plat_cpu_idle(uint32_t max_us)
{
	(void)max_us;
	return false;
}

int plat_cpu_power_on(unsigned idx)
{
	struct core *c = &cores[idx];

	c->starts++;
	if (smp_cpus[idx].power == SMP_POWER_ON) /* "already on": what a QEMU model refuses */
		c->bad_calls++;
	if (c->start_answer == 0 && !c->start_lost)
		c->step = CORE_RESET; /* from reset at the reset vector: a new epoch */
	return c->start_answer;
}

int plat_cpu_hold_in_reset(unsigned idx)
{
	struct core *c = &cores[idx];

	c->holds++;
	if (smp_cpus[idx].power != SMP_POWER_ON) /* never started, or held already */
		c->bad_calls++;
	if (c->hold_answer == 0)
		c->step = CORE_OFF;
	return c->hold_answer;
}

void con_init(void)
{
}

void con_puts(const char *s)
{
	size_t n = strlen(s), room = sizeof(con_buf) - 1 - con_len;

	n = n > room ? room : n;
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

/* ---- helpers ---------------------------------------------------------------------------- */

#define ENTRY ((uint32_t)(uintptr_t)0x10100000U) /* never called: the fake cores return at once */

static int setup(void **state)
{
	(void)state;
	memset(cores, 0, sizeof(cores));
	memset(mbox_slots, 0, sizeof(mbox_slots));
	con_len = 0;
	con_buf[0] = '\0';
	now_us = 0;
	(void)smp_set_ack_timeout_ms(1000);
	smp_init(PLAT_MAX_CPUS);
	return 0;
}

static void assert_console_has(const char *line)
{
	if (!strstr(con_buf, line)) {
		print_message("console:\n%s", con_buf);
		fail_msg("console lacks \"%s\"", line);
	}
}

static uint32_t epoch_of(unsigned idx)
{
	return readl(&mbox_slots[idx].st_epoch);
}

static void assert_no_bad_calls(void)
{
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++)
		assert_int_equal(cores[idx].bad_calls, 0);
}

/* ---- the tests ---------------------------------------------------------------------------- */

static void test_cores_start_off_and_are_started_once(void **state)
{
	(void)state;
	assert_int_equal(smp_cpus[0].power, SMP_POWER_ON);
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++)
		assert_int_equal(smp_cpus[idx].power, SMP_POWER_OFF);
	assert_int_equal(smp_release(0xe, ENTRY, 0), 0xe);
	assert_int_equal(smp_release(0xe, ENTRY, 1), 0xe); /* parked again: no new start */
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++) {
		assert_int_equal(cores[idx].starts, 1);
		assert_int_equal(cores[idx].holds, 0);
		assert_int_equal(smp_cpus[idx].power, SMP_POWER_ON);
		assert_int_equal(epoch_of(idx), 1); /* one reset each: the board's */
	}
	assert_no_bad_calls();
}

static void test_a_confirmed_hold_is_retried_from_reset(void **state)
{
	(void)state;
	cores[2].mute = true;
	assert_int_equal(smp_release(0xe, ENTRY, 0), 0xa);
	assert_int_equal(cores[2].holds, 1);
	assert_int_equal(smp_cpus[2].power, SMP_POWER_HELD);
	smp_report();
	assert_console_has("cpu2: mpidr 0x80000002 timeout: no acknowledgment within 1000 ms, last stage pen, "
			   "held in reset\n");
	uint32_t before = epoch_of(2);

	cores[2].mute = false;
	assert_int_equal(smp_release(0x4, ENTRY, 0), 0x4);
	assert_int_equal(cores[2].starts, 2); /* started again: it was held */
	assert_int_equal(epoch_of(2), before + 1); /* and it went through reset */
	assert_int_equal(smp_cpus[2].power, SMP_POWER_ON);
	assert_int_equal(cores[1].starts + cores[3].starts, 2); /* the others untouched */
	assert_no_bad_calls();
}

static void test_an_unconfirmed_hold_leaves_the_core_on(void **state)
{
	(void)state;
	cores[2].mute = true;
	cores[2].hold_answer = -1; /* the controller did not confirm: the core runs on */
	assert_int_equal(smp_release(0x4, ENTRY, 0), 0);
	assert_int_equal(cores[2].holds, 1);
	assert_int_equal(smp_cpus[2].power, SMP_POWER_ON);
	smp_report();
	assert_console_has("cpu2: mpidr 0x80000002 timeout: no acknowledgment within 1000 ms, last stage pen\n");
	uint32_t before = epoch_of(2);

	cores[2].mute = false;
	assert_int_equal(smp_release(0x4, ENTRY, 0), 0x4);
	assert_int_equal(cores[2].starts, 1); /* no start for a core that may be running */
	assert_int_equal(epoch_of(2), before); /* reached in its pen, not restarted */
	assert_no_bad_calls();
}

static void test_a_start_the_controller_refused_is_tried_again(void **state)
{
	(void)state;
	cores[3].start_answer = -1;
	assert_int_equal(smp_release(0x8, ENTRY, 0), 0);
	assert_true(smp_cpus[3].start_unconfirmed);
	assert_int_equal(cores[3].holds, 1); /* it might have started: held, to be sure */
	assert_int_equal(smp_cpus[3].power, SMP_POWER_HELD);
	cores[3].start_answer = 0;
	assert_int_equal(smp_release(0x8, ENTRY, 0), 0x8);
	assert_int_equal(cores[3].starts, 2);
	assert_false(smp_cpus[3].start_unconfirmed);
	assert_no_bad_calls();
}

static void test_a_start_that_said_yes_but_did_not_happen_shows_as_timeout(void **state)
{
	(void)state;
	cores[1].start_lost = true; /* the model's race: "already on", yet it never runs */
	cores[1].hold_answer = -1;
	assert_int_equal(smp_release(0x2, ENTRY, 0), 0);
	smp_report();
	assert_console_has("cpu1: mpidr 0x80000001 timeout: no acknowledgment within 1000 ms");
	assert_int_equal(smp_cpus[1].power, SMP_POWER_ON);
	assert_int_equal(smp_release(0x2, ENTRY, 0), 0); /* no start for it: it is on, by our record */
	assert_int_equal(cores[1].starts, 1);
	assert_no_bad_calls();
}

static void test_watch_does_not_wait_for_a_held_core(void **state)
{
	(void)state;
	cores[2].mute = true;
	assert_int_equal(smp_release(0xe, ENTRY, 0), 0xa);
	uint64_t t0 = now_us;

	smp_watch_abandoned(2000);
	assert_console_has("cpu2: held in reset since its deadline: it cannot arrive late\n");
	assert_true(now_us - t0 < 1000); /* nothing to watch: it returned at once */
}

static void test_smp_hold_holds_parked_cores_once(void **state)
{
	(void)state;
	assert_int_equal(smp_hold(0xe), 0xe); /* never started: in reset already, no hook called */
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++)
		assert_int_equal(cores[idx].holds, 0);
	assert_int_equal(smp_release(0xe, ENTRY, 0), 0xe);
	assert_int_equal(smp_hold(0xe), 0xe);
	assert_int_equal(smp_hold(0xe), 0xe); /* held already: no second call */
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++) {
		assert_int_equal(cores[idx].holds, 1);
		assert_int_equal(smp_cpus[idx].power, SMP_POWER_HELD);
	}
	cores[1].hold_answer = -1;
	assert_int_equal(smp_release(0x2, ENTRY, 0), 0x2);
	assert_int_equal(smp_hold(0xe), 0xc); /* cpu1's hold unconfirmed: not in reset */
	assert_no_bad_calls();
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cores_start_off_and_are_started_once),
		T(test_a_confirmed_hold_is_retried_from_reset),
		T(test_an_unconfirmed_hold_leaves_the_core_on),
		T(test_a_start_the_controller_refused_is_tried_again),
		T(test_a_start_that_said_yes_but_did_not_happen_shows_as_timeout),
		T(test_watch_does_not_wait_for_a_held_core),
		T(test_smp_hold_holds_parked_cores_once),
	};

	return cmocka_run_group_tests_name("coordinator power state (PLAT_HAS_CPU_POWER)", tests, NULL, NULL);
}
