/* The SMP demo: each CPU counts the primes in its own range; CPU0 recounts and compares. */
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/smp.h>

#include "demo.h"

#define DEMO_RANGE 20000U
#define DEMO_WAIT_US 20000000ULL /* the work takes milliseconds; this only bounds a broken CPU */

/* One cache line per CPU, written only by that CPU (after PROCEED), read by CPU0. */
struct demo_result {
	uint32_t token; /* the run's token once the fields below are final */
	uint32_t mpidr; /* as the CPU read it: proof of who ran */
	uint32_t primes;
	uint32_t pad[13];
} __attribute__((aligned(MBOX_LINE_SIZE)));
_Static_assert(sizeof(struct demo_result) == MBOX_LINE_SIZE, "one line per writer");

static struct demo_result results[PLAT_MAX_CPUS];

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

/* The entry each CPU is released at; r0 = the run's token. */
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
	dsb(); /* the token is visible before we return to the pen */
	sev();
}

unsigned demo_run(uint32_t online)
{
	static uint32_t runs;
	uint32_t token = 0x44454d00U | (++runs & 0xffU); /* "DEM" + run number: never 0 */
	unsigned verified = 0, total = smp_cpu_total();

	for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++)
		writel(0, &results[idx].token); /* before the release that lets anyone write them */

	uint32_t started = smp_release(online & ~1U, (uint32_t)(uintptr_t)demo_work, token);
	if (online & 1U) {
		demo_work(token);
		started |= 1U;
	}
	con_printf("demo: counting primes on %u CPUs, %lu numbers each\n",
		   (unsigned)__builtin_popcount(started), (unsigned long)DEMO_RANGE);

	uint64_t deadline = plat_time_us() + DEMO_WAIT_US;
	uint32_t waiting = started;
	while (waiting && plat_time_us() < deadline) {
		cpu_relax();
		for (unsigned idx = 0; idx < total; idx++)
			if ((waiting & (1U << idx)) && readl(&results[idx].token) == token)
				waiting &= ~(1U << idx);
	}

	for (unsigned idx = 0; idx < total; idx++) {
		if (!(started & (1U << idx)))
			continue;
		uint32_t lo = idx * DEMO_RANGE, hi = lo + DEMO_RANGE;
		if (waiting & (1U << idx)) {
			con_printf("demo: cpu%u: no result within %lu ms\n", idx,
				   (unsigned long)(DEMO_WAIT_US / 1000U));
			continue;
		}
		uint32_t expect = count_primes(lo, hi);
		uint32_t got = results[idx].primes;
		bool ok = got == expect && results[idx].mpidr == cpu_mpidr_of(idx);
		con_printf("demo: cpu%u (mpidr 0x%08lx) counted %lu primes in [%lu, %lu): %s\n", idx,
			   (unsigned long)results[idx].mpidr, (unsigned long)got, (unsigned long)lo,
			   (unsigned long)hi, ok ? "ok" : "WRONG");
		verified += ok;
	}
	con_printf("demo: %u of %u CPUs returned verified results\n", verified,
		   (unsigned)__builtin_popcount(started));
	return verified;
}
