/* What a standalone payload receives in r0: muster's services and the state of the CPUs. */
#ifndef MUSTER_BOOTINFO_H
#define MUSTER_BOOTINFO_H

#define BOOTINFO_MAGIC 0x4f464e49U /* "INFO" */
#define BOOTINFO_VERSION 1U

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/*
 * A payload started with r0 = &bootinfo runs on CPU0 in SVC mode, IRQs masked, MMU and caches
 * off, SCTLR.A (alignment check) at its reset value 0, on muster's stack. With the MMU off every
 * access is Device-type: a misaligned one faults on Cortex-A7/A15 (UNPREDICTABLE on the A9), so a
 * payload and the libraries it links must not make one until it maps RAM Normal (docs/porting.md). It may call these services (they run on CPU0 only), and it starts code
 * on the secondaries through their mailbox slots (include/muster/mailbox.h), then wake_cpu().
 *
 * Such a payload runs in the Secure state, so it reaches the slots wherever the board keeps
 * muster's RAM, Secure-only RAM included. The mailbox ABI is for boards without PSCI and
 * for Secure payloads like this one: a Non-secure OS starts and stops secondaries through PSCI
 * (CPU_ON, CPU_OFF; docs/psci.md), and where muster's memory is Secure-only it cannot even read
 * the slots.
 */
struct muster_bootinfo {
	uint32_t magic;
	uint32_t version;
	uint32_t size;
	uint32_t cpu_count;      /* cores the hardware reports */
	uint32_t online_mask;    /* bit i: CPU i acknowledged PROCEED (CPU0 always) */
	uint32_t mailbox;        /* address of the slots, one struct mbox_slot per CPU */
	uint32_t ack_timeout_ms; /* what the coordinator used */
	void (*putc)(char c);
	int (*getc)(void);
	uint64_t (*time_us)(void);
	void (*wake_cpu)(unsigned idx); /* after publishing: the board's wake-up (SGI) */
	void (*system_off)(void); /* does not return */
};

_Static_assert(offsetof(struct muster_bootinfo, putc) == 28, "payload ABI");
_Static_assert(offsetof(struct muster_bootinfo, system_off) == 44, "payload ABI");
_Static_assert(sizeof(struct muster_bootinfo) == 48, "payload ABI");
#endif

#endif
