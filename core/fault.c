/* Fault injection for test builds (make FAULT=...): the faults the protocol must survive. */
#include <muster/arch.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/platform.h>

#ifndef MUSTER_FAULTS
#error "core/fault.c is built only with FAULT=..."
#endif

extern void sleep_forever(void) __attribute__((noreturn));

/* Each injected fault fires once per boot, so a retry can show the CPU recovering, and only after
 * MUSTER_FAULT_SKIP earlier passes of its stage (e.g. 1: not at boot, at the OS's first CPU_ON).
 * MUSTER_FAULT_EVERY n > 0 makes it fire again on every n-th pass after that (2: every other
 * release misses, the retry after it succeeds, round after round in one boot). Both arrays are in
 * .bss, which only CPU0's boot clears: a secondary restarted from reset counts on. Only the faulty
 * CPU writes its bytes. */
#ifndef MUSTER_FAULT_EVERY
#define MUSTER_FAULT_EVERY 0
#endif
static volatile uint8_t fired[PLAT_MAX_CPUS];
static volatile uint32_t passes[PLAT_MAX_CPUS];

int fault_active(unsigned kind)
{
	return MUSTER_FAULT_KIND == kind;
}

static void delay_ms(uint32_t ms)
{
	uint32_t start = plat_counter();
	uint32_t ticks = ms * (PLAT_COUNTER_HZ / 1000U);

	/* YIELD: under single-threaded TCG the other vCPUs run meanwhile, as real cores would. */
	while (plat_counter() - start < ticks)
		cpu_relax();
}

void fault_data_abort(void)
{
	uint32_t value;

	/* SCTLR.A (set at reset) makes a misaligned word load an alignment fault on every core.
	 * A single LDR in assembly: the compiler would split a misaligned C load into halves. */
	__asm__ volatile("ldr %0, [%1]" : "=r"(value) : "r"(MUSTER_RAM_BASE + 2U) : "memory");
	(void)value;
	sleep_forever(); /* not reached */
}

void fault_point(unsigned cpu, uint32_t stage)
{
	if ((MUSTER_FAULT_CPU != FAULT_ALL_CPUS && cpu != MUSTER_FAULT_CPU) ||
	    stage != MUSTER_FAULT_STAGE || cpu >= PLAT_MAX_CPUS || fired[cpu])
		return;
	/* Passes after the spared ones: -1 for a spared pass (the count wraps below 0 on purpose,
	 * and compares with 0 on no warning when MUSTER_FAULT_SKIP is 0). */
	int32_t after = (int32_t)(passes[cpu]++ - (uint32_t)MUSTER_FAULT_SKIP);

	if (after < 0) /* spare this pass */
		return;
#if MUSTER_FAULT_EVERY > 0
	if ((uint32_t)after % MUSTER_FAULT_EVERY != 0)
		return; /* spare it: the fault comes back on the next n-th pass */
#else
	fired[cpu] = 1;
#endif
	switch (MUSTER_FAULT_KIND) {
	case FAULT_NEVER:
	case FAULT_HANG:
		sleep_forever();
	case FAULT_DELAY:
		delay_ms(MUSTER_FAULT_DELAY_MS);
		break;
	case FAULT_ABORT:
		fault_data_abort();
	default:
		break;
	}
}
