/* The bring-up report (core/report.c): what the coordinator recorded, printed by CPU0. */
#ifndef MUSTER_REPORT_H
#define MUSTER_REPORT_H

#include <stdint.h>

/* Print one line per CPU and `smp: N of M CPUs online`; returns N. */
unsigned smp_report(void);
/* Print CPU idx's line of that report. */
void smp_report_cpu(unsigned idx);
/*
 * Watch abandoned CPUs for `ms`: report each that arrives late, and that it stayed parked. A CPU
 * held in reset at its deadline is said to be so and not watched.
 */
void smp_watch_abandoned(uint32_t ms);

#endif
