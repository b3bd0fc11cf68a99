/* The built-in SMP demo: every online CPU runs work it was given; CPU0 checks and prints each result. */
#ifndef MUSTER_DEMO_H
#define MUSTER_DEMO_H

#include <stdint.h>

/* Runs the demo on the CPUs in `online`; returns how many returned a verified result. */
unsigned demo_run(uint32_t online);

#endif
