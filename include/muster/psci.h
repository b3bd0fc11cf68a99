/* PSCI 1.0 over SMC32: function IDs, return codes and muster's monitor entry points. */
#ifndef MUSTER_PSCI_H
#define MUSTER_PSCI_H

/* Function IDs (Arm DEN0022, SMC32 fast calls). */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0x84000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0x84000003U
#define PSCI_AFFINITY_INFO 0x84000004U
#define PSCI_MIGRATE 0x84000005U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU 0x84000007U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU

#define PSCI_VERSION_1_0 0x00010000U

/* Return codes. */
#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

/* AFFINITY_INFO states, also muster's per-CPU PSCI state. */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/* MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate. */
#define PSCI_TOS_NOT_PRESENT 2

/* CPU_SUSPEND power_state (original format): StateType, bit 16: 0 = standby, 1 = power down. */
#define PSCI_POWER_STATE_TYPE_POWERDOWN (1U << 16)
#define PSCI_POWER_STATE_LEVEL_MASK (3U << 24)

#include <stdbool.h>
#include <stdint.h>

/* The monitor's C entry (boot/monitor.S), Secure state: the SMC's r0-r3; returns the new r0. */
int32_t psci_smc_handler(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
/* A late muster wake-up (Secure interrupt) taken to the monitor while the OS ran. */
void psci_monitor_fiq(void);

/* ---- the firmware (smp/psci.c): no console, no device tree ----------------------------- */

#define PSCI_OS_READY 0
#define PSCI_OS_NO_SECURITY_EXTENSIONS 1 /* this CPU cannot enter the Non-secure state */
#define PSCI_OS_MEMORY_UNPROTECTED 2     /* the TrustZone controller refused to protect muster */
/*
 * CPU0: become the OS's PSCI firmware: every CPU's PSCI state (the online secondaries OFF, parked
 * in muster's pen until CPU_ON), muster's memory protected where the board can, the interrupt
 * controller's shared half Non-secure. PSCI_OS_READY, or why not; *hyp: the OS starts in HYP.
 */
int psci_prepare_os(bool *hyp);
/* CPU0, after psci_prepare_os said ready: enter the OS Non-secure at `entry` with r0-r2. */
void psci_enter_os(uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2) __attribute__((noreturn));

/* What the firmware did for the OS, summed over the CPUs when it powers off or resets. */
struct psci_totals {
	uint32_t cpu_on_ok;     /* CPU_ONs that succeeded */
	uint32_t cpu_on_failed; /* ... that failed after a release (INTERNAL_FAILURE) */
	uint32_t cpu_off;       /* CPU_OFFs */
	uint32_t late_wakeups;  /* muster wake-ups that reached a CPU in the OS (monitor FIQs) */
};

/* ---- CPU0's side (core/psci_os.c): the device tree and the console ------------------- */

/* CPU0, after the banner: one line saying whether the Non-secure world can reach muster's memory. */
void psci_print_boundary(void);
/* True when the device tree asks for PSCI over SMC (a /psci node with method "smc"). */
bool psci_requested(const void *fdt);
/*
 * CPU0: psci_prepare_os, then the OS at `entry` with r0-r2 (psci_enter_os). Returns (with a
 * message printed) only if muster cannot be the OS's firmware on this CPU and board.
 */
int psci_boot_os(uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2);
/* Called by the firmware at SYSTEM_OFF / SYSTEM_RESET: its one summary line (CPU0 prints it). */
void psci_report_exit(const char *call, unsigned cpu, const struct psci_totals *totals);

/* boot/monitor.S */
void monitor_install(uint32_t stack_top);
void ns_enter(uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2) __attribute__((noreturn));
void monitor_to_pen(unsigned idx, uint32_t stack_top, void (*fn)(unsigned)) __attribute__((noreturn));

#endif
