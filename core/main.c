/* CPU0's flow: console, settings, bring the secondaries up, report, autoboot the flash payload. */
#include <muster/boot.h>
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/psci.h>
#include <muster/report.h>
#include <muster/settings.h>
#include <muster/shell.h>
#include <muster/smp.h>

#include <muster/version.h>
#ifndef MUSTER_BOOT_RETRIES
#define MUSTER_BOOT_RETRIES 0 /* rounds of re-release for CPUs that missed their deadline */
#endif
#ifndef MUSTER_LINGER_MS
#define MUSTER_LINGER_MS 0 /* watch abandoned CPUs this long before going on */
#endif
#ifndef MUSTER_HOLD_MS
#define MUSTER_HOLD_MS 0 /* stay this long with the secondaries parked before booting (benchmarks) */
#endif
#ifndef MUSTER_BOOTDELAY_MS
#define MUSTER_BOOTDELAY_MS 2000 /* when the flash has no settings record */
#endif

void muster_main(void) __attribute__((noreturn));

static struct settings settings;

static void load_settings(void)
{
	char why[120];

	if (settings_parse((const void *)MUSTER_SETTINGS_ADDR, &settings, MUSTER_ACK_TIMEOUT_MS,
			   MUSTER_BOOTDELAY_MS, why, sizeof(why))) {
		con_printf("settings: warning: %s; using defaults\n", why);
		return;
	}
	con_printf("settings: acknowledgment timeout %lu ms, boot delay %lu ms, boot arguments \"%s\"\n",
		   (unsigned long)settings.ack_timeout_ms, (unsigned long)settings.bootdelay_ms,
		   settings.bootargs);
}

static void bring_up(void)
{
	unsigned total = plat_cpu_count();

	smp_init(total);
	plat_smp_init();
	(void)smp_set_ack_timeout_ms(settings.ack_timeout_ms); /* range-checked by settings_parse */
	con_printf("smp: %u CPUs reported, acknowledgment timeout %lu ms\n", total,
		   (unsigned long)smp_ack_timeout_ms());

	uint64_t start = plat_time_us();
	smp_release(~1U, (uint32_t)(uintptr_t)shell_idle_entry, 0);
	unsigned retries = MUSTER_BOOT_RETRIES;
	for (unsigned round = 1; retries > 0 && smp_timed_out_mask(); round++, retries--) {
		uint32_t again = smp_timed_out_mask(), held = 0;

		for (unsigned idx = 0; idx < total; idx++)
			if ((again & (1U << idx)) && smp_cpus[idx].power == SMP_POWER_HELD)
				held |= 1U << idx;
		con_printf("smp: retry %u: releasing CPUs 0x%lx again with a new generation", round,
			   (unsigned long)again);
		if (held) /* the power controller held them: they start again from reset */
			con_printf("; CPUs 0x%lx restart from reset", (unsigned long)held);
		con_puts("\n");
		smp_release(again, (uint32_t)(uintptr_t)shell_idle_entry, 0);
	}
	uint64_t done = plat_time_us();
	smp_report();
	con_printf("smp: bring-up took %lu us (release to last decision), %lu us since timer start\n",
		   (unsigned long)(done - start), (unsigned long)done);
	if (MUSTER_LINGER_MS)
		smp_watch_abandoned(MUSTER_LINGER_MS);
#if MUSTER_HOLD_MS
	uint64_t until = plat_time_us() + (uint64_t)MUSTER_HOLD_MS * 1000U;

	con_printf("muster: holding %lu ms with the secondaries parked\n", (unsigned long)MUSTER_HOLD_MS);
	while (plat_time_us() < until)
		cpu_relax();
#endif
}

/* Count the boot delay down; true when a key stopped it. */
static bool autoboot_stopped(uint32_t delay_ms)
{
	if (delay_ms == 0)
		return plat_console_getc() >= 0;
	uint64_t end = plat_time_us() + (uint64_t)delay_ms * 1000U;
	uint32_t shown = UINT32_MAX;

	for (;;) {
		uint64_t now = plat_time_us();
		if (now >= end)
			break;
		uint32_t left = (uint32_t)((end - now + 999999U) / 1000000U);
		if (left != shown) {
			con_printf("autoboot: booting in %lu s, press any key to stop\n", (unsigned long)left);
			shown = left;
		}
		if (plat_console_getc() >= 0)
			return true;
		cpu_relax();
	}
	return false;
}

void muster_main(void)
{
	plat_early_init();
	con_init();
	con_printf("\nmuster %s (%s, build %s)\n", MUSTER_VERSION, PLAT_NAME, MUSTER_BUILD_ID);
#if PLAT_HAS_PSCI
	psci_print_boundary(); /* the Secure firmware says where its boundary lies */
#endif
	if (fault_active(FAULT_REPORTER))
		fault_data_abort();
	load_settings();
	bring_up();

	if (autoboot_stopped(settings.bootdelay_ms)) {
		con_puts("autoboot: stopped by a key\n");
	} else if (boot_payload(&settings) != 0) {
		con_puts("boot: no payload started\n");
	}
	/* The safe state: the console, where nothing runs that was not verified or asked for. */
	shell_run(&settings);
}
