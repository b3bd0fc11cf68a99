/* Fault injection points: compiled in only by a fault build (FAULT=... at make time), never in a release. */
#ifndef MUSTER_FAULT_H
#define MUSTER_FAULT_H

#include <stdint.h>

#if defined(MUSTER_RELEASE) && defined(MUSTER_FAULTS)
#error "a release build cannot contain fault injection"
#endif

/* Fault kinds (MUSTER_FAULT_KIND), injected on CPU MUSTER_FAULT_CPU at stage MUSTER_FAULT_STAGE. */
#define FAULT_NONE 0
#define FAULT_NEVER 1   /* never arrive: the CPU stops answering at the stage */
#define FAULT_DELAY 2   /* wait MUSTER_FAULT_DELAY_MS at the stage, then go on */
#define FAULT_ABORT 3   /* take a data abort at the stage */
#define FAULT_HANG 4    /* hang at the stage (e.g. after PROCEED, before acknowledging it) */
#define FAULT_SPURIOUS_SEV 5 /* CPU0 sends SEVs and SGIs to every parked CPU during bring-up */
/* 6 is unused: garbage over the mailbox is loaded by QEMU itself before boot (tests/qemu). */
#define FAULT_NO_WAKE 7 /* the releaser publishes but never sends the wake-up */
#define FAULT_LATE_WAKE 8 /* PSCI: after each CPU_ON, one more wake-up SGI, arriving in the OS */
#define FAULT_REPORTER 9 /* CPU0 takes a data abort after its banner, and again inside the report */

#define FAULT_ALL_CPUS 255 /* MUSTER_FAULT_CPU for "every secondary" (make FAULT_CPU=all) */

#ifdef MUSTER_FAULTS
/* Called by CPU `cpu` as it passes `stage`; acts when the build's fault targets it. */
void fault_point(unsigned cpu, uint32_t stage);
/* True when the build injects `kind` (used by CPU0-side faults). */
int fault_active(unsigned kind);
/* Take a data abort here (an alignment fault: SCTLR.A is set from reset). */
void fault_data_abort(void) __attribute__((noreturn));
#else
static inline void fault_point(unsigned cpu, uint32_t stage)
{
	(void)cpu;
	(void)stage;
}

static inline int fault_active(unsigned kind)
{
	(void)kind;
	return 0;
}

static inline void fault_data_abort(void)
{
}
#endif

#endif
