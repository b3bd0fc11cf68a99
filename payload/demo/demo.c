/* The SMP demo payload: starts work on every online CPU through muster's mailbox ABI, checks each result. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <muster/bootinfo.h>
#include <muster/cpu.h>
#include <muster/mailbox.h>

#define DEMO_RANGE 20000U
#ifndef DEMO_WAKE_SGI /* make's DEMO_WAKE: sgi (both 1), sev, none */
#define DEMO_WAKE_SGI 1
#define DEMO_WAKE_SEV 1
#endif
#define DEMO_WAIT_US 20000000ULL /* the work takes milliseconds; this only bounds a broken CPU */

int demo_main(struct muster_bootinfo *bi);

/* One cache line per CPU, written only by that CPU, read by CPU0. */
struct demo_result {
	uint32_t token; /* the run's token once the fields below are final */
	uint32_t mpidr; /* as the CPU read it: proof of who ran */
	uint32_t primes;
	uint32_t pad[13];
} __attribute__((aligned(MBOX_LINE_SIZE)));
_Static_assert(sizeof(struct demo_result) == MBOX_LINE_SIZE, "one line per writer");

static struct demo_result results[PLAT_MAX_CPUS];
static struct muster_bootinfo *boot;

static void pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void pr(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			boot->putc('\r');
		boot->putc(*p);
	}
}

static uint32_t count_primes(uint32_t lo, uint32_t hi)
{
	uint32_t count = 0;

	for (uint32_t n = lo < 2 ? 2 : lo; n < hi; n++) {
		uint32_t d = 2;

		while (d * d <= n && n % d != 0)
			d++;
		count += d * d > n;
	}
	return count;
}

/* What every CPU runs; r0 = the run's token. */
static void demo_work(uint32_t token)
{
	uint32_t mpidr = read_mpidr();
	int idx = cpu_index_of(mpidr);

	if (idx < 0)
		return;
	struct demo_result *res = &results[idx];
	uint32_t lo = (uint32_t)idx * DEMO_RANGE;

	res->primes = count_primes(lo, lo + DEMO_RANGE);
	res->mpidr = mpidr;
	writel(token, &res->token); /* writel's DMB: the results before the token that publishes them */
	dsb(); /* the token is visible before this CPU returns to muster's pen */
}

/* Start `entry(arg)` on a parked CPU exactly as muster's coordinator does, with PROCEED granted. */
static void start_on(unsigned idx, void (*entry)(uint32_t), uint32_t arg)
{
	struct mbox_slot *slot = (struct mbox_slot *)(uintptr_t)boot->mailbox + idx;
	uint32_t epoch = readl(&slot->st_epoch);
	uint32_t gen = mbox_next_gen(mbox_ack_gen(readl(&slot->st_ack)));

	mbox_publish(slot, epoch, gen, (uint32_t)(uintptr_t)entry, arg, MBOX_VERDICT_PROCEED);
	dsb(); /* the command is visible before the wake-up */
#if DEMO_WAKE_SEV
	sev(); /* a pen in WFE */
#endif
#if DEMO_WAKE_SGI
	boot->wake_cpu(idx); /* muster's pen sleeps in WFI: the board's SGI */
#endif
	/* DEMO_WAKE=sev or none (make): a payload's mistake on purpose; muster's pen polls. */
}

int demo_main(struct muster_bootinfo *bi)
{
	boot = bi;
	if (bi->magic != BOOTINFO_MAGIC || bi->version != BOOTINFO_VERSION || bi->size < sizeof(*bi))
		return -1; /* not started by a muster we understand: print nothing through unknown hooks */

	uint32_t token = 0x44454d4fU; /* "DEMO" */
	uint32_t started = bi->online_mask & ((1U << PLAT_MAX_CPUS) - 1U);
	unsigned total = __builtin_popcount(started);

	pr("demo: payload running, starting work on %u CPUs through the mailbox, %lu numbers each\n", total,
	   (unsigned long)DEMO_RANGE);
	for (unsigned idx = 1; idx < PLAT_MAX_CPUS; idx++)
		if (started & (1U << idx))
			start_on(idx, demo_work, token);
	demo_work(token);

	uint64_t deadline = bi->time_us() + DEMO_WAIT_US;
	uint32_t waiting = started;
	while (waiting && bi->time_us() < deadline) {
		cpu_relax();
		for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++)
			if ((waiting & (1U << idx)) && readl(&results[idx].token) == token)
				waiting &= ~(1U << idx);
	}

	unsigned verified = 0;
	for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++) {
		if (!(started & (1U << idx)))
			continue;
		uint32_t lo = idx * DEMO_RANGE, hi = lo + DEMO_RANGE;
		if (waiting & (1U << idx)) {
			pr("demo: cpu%u: no result within %lu ms\n", idx, (unsigned long)(DEMO_WAIT_US / 1000U));
			continue;
		}
		uint32_t got = results[idx].primes;
		bool ok = got == count_primes(lo, hi) && results[idx].mpidr == cpu_mpidr_of(idx);
		pr("demo: cpu%u (mpidr 0x%08lx) counted %lu primes in [%lu, %lu): %s\n", idx,
		   (unsigned long)results[idx].mpidr, (unsigned long)got, (unsigned long)lo, (unsigned long)hi,
		   ok ? "ok" : "WRONG");
		verified += ok;
		/* What the slot says of our releases: steps the pen found by its poll alone. */
		if (idx != 0) {
			struct mbox_slot *slot = (struct mbox_slot *)(uintptr_t)bi->mailbox + idx;
			uint32_t unwoken = readl(&slot->st_unwoken);

			if (unwoken)
				pr("demo: cpu%u: handshake steps its pen took without a wake-up: %lu\n", idx,
				   (unsigned long)unwoken);
		}
	}
	pr("demo: %u of %u CPUs returned verified results\n", verified, total);
	pr("muster: done, powering off\n");
	bi->system_off();
	return 0; /* not reached: system_off does not return */
}
