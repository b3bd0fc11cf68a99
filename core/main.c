/* CPU0's flow: console, banner, bring the secondaries up, report, run the demo, power off. */
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/smp.h>

#include "../demo/demo.h"

#ifndef MUSTER_VERSION
#define MUSTER_VERSION "unknown"
#endif
#ifndef MUSTER_BUILD_ID
#define MUSTER_BUILD_ID "unknown"
#endif
#ifndef MUSTER_BOOT_RETRIES
#define MUSTER_BOOT_RETRIES 0 /* rounds of re-release for CPUs that missed their deadline */
#endif
#ifndef MUSTER_LINGER_MS
#define MUSTER_LINGER_MS 0 /* watch abandoned CPUs this long before power-off */
#endif
#ifndef MUSTER_HOLD_MS
#define MUSTER_HOLD_MS 0 /* stay up this long, secondaries parked, before power-off (benchmarks) */
#endif

void muster_main(void) __attribute__((noreturn));

/* The entry of the boot-time release: the CPU has acknowledged PROCEED; it returns to the pen. */
static void secondary_checked_in(uint32_t arg)
{
	(void)arg;
}

void muster_main(void)
{
	plat_early_init();
	con_init();
	con_printf("\nmuster %s (%s, build %s)\n", MUSTER_VERSION, PLAT_NAME, MUSTER_BUILD_ID);

	unsigned total = plat_cpu_count();
	smp_init(total);
	plat_smp_init();
	con_printf("smp: %u CPUs reported, acknowledgment timeout %lu ms\n", total,
		   (unsigned long)smp_ack_timeout_ms());

	uint64_t start = plat_time_us();
	smp_release(~1U, (uint32_t)(uintptr_t)secondary_checked_in, 0);
	unsigned retries = MUSTER_BOOT_RETRIES;
	for (unsigned round = 1; retries > 0 && smp_timed_out_mask(); round++, retries--) {
		uint32_t again = smp_timed_out_mask();

		con_printf("smp: retry %u: releasing CPUs 0x%lx again with a new generation\n", round,
			   (unsigned long)again);
		smp_release(again, (uint32_t)(uintptr_t)secondary_checked_in, 0);
	}
	uint64_t done = plat_time_us();
	smp_report();
	con_printf("smp: bring-up took %lu us (release to last decision), %lu us since timer start\n",
		   (unsigned long)(done - start), (unsigned long)done);

	if (MUSTER_LINGER_MS)
		smp_watch_abandoned(MUSTER_LINGER_MS);
	demo_run(smp_online_mask());
	if (MUSTER_HOLD_MS) {
		uint64_t until = plat_time_us() + (uint64_t)MUSTER_HOLD_MS * 1000U;

		con_printf("muster: holding %lu ms with the secondaries parked\n",
			   (unsigned long)MUSTER_HOLD_MS);
		while (plat_time_us() < until)
			cpu_relax();
	}
	con_puts("muster: done, powering off\n");
	plat_system_off();
}
