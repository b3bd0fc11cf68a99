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
 * Only the faulty CPU writes its bytes. */
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
	if (passes[cpu] != (uint32_t)MUSTER_FAULT_SKIP) { /* spare this pass */
		passes[cpu]++;
		return;
	}
	fired[cpu] = 1;
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
