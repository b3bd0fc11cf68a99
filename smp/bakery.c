/* Lamport's bakery lock: take a number one above every number in use, wait for every smaller one. */
#include <muster/bakery.h>

void bakery_lock(struct bakery_lock *lock, unsigned me)
{
	uint32_t max = 0;

	writel(1, &lock->ticket[me].choosing);
	dmb(); /* choosing is visible before we read the others' numbers */
	for (unsigned cpu = 0; cpu < PLAT_MAX_CPUS; cpu++) {
		uint32_t n = readl(&lock->ticket[cpu].number);
		if (n > max)
			max = n;
	}
	writel(max + 1U, &lock->ticket[me].number);
	writel(0, &lock->ticket[me].choosing); /* writel's DMB: our number is visible before we stop choosing */
	dmb(); /* the choosing store before the reads of the others' tickets */
	for (unsigned cpu = 0; cpu < PLAT_MAX_CPUS; cpu++) {
		if (cpu == me)
			continue;
		while (readl(&lock->ticket[cpu].choosing))
			cpu_relax();
		for (;;) {
			uint32_t n = readl(&lock->ticket[cpu].number);
			uint32_t mine = readl(&lock->ticket[me].number);

			/* Wait while that CPU is ahead of us: a smaller number, or the same and a smaller index. */
			if (n == 0 || n > mine || (n == mine && cpu > me))
				break;
			cpu_relax();
		}
	}
}

void bakery_unlock(struct bakery_lock *lock, unsigned me)
{
	writel(0, &lock->ticket[me].number); /* writel's DMB: the critical section's accesses before the release */
	dsb(); /* the release is visible before waiters are signalled */
	sev(); /* waiters in WFE (none today: they spin with cpu_relax) look again */
}
