/* The porting interface: everything generic code (boot/, smp/, core/) may ask of a board. */
#ifndef MUSTER_PLATFORM_H
#define MUSTER_PLATFORM_H

/*
 * A board lives in platform/<name>/ and provides:
 *   board.h      named constants (each citing its source), included from C, assembly and
 *                the linker script; it must define every PLAT_* and MUSTER_* macro checked below.
 *   platform.c   the mandatory hooks declared below, with strong definitions.
 *   platform.mk  CPU flags, QEMU machine and CPU-count limits for the build and tests.
 * Optional hooks are chosen by a board.h switch set to 0 or 1; generic code calls them only
 * through the plat_opt_* wrappers, so a board that leaves a switch at 0 need not define them,
 * and a board that sets it to 1 gets a link error if it forgets one.
 */
#include <board.h>

#if !defined(PLAT_NAME) || !defined(PLAT_MAX_CPUS) || !defined(PLAT_CORES_PER_CLUSTER)
#error "board.h must define PLAT_NAME, PLAT_MAX_CPUS and PLAT_CORES_PER_CLUSTER"
#endif
#if !defined(MUSTER_FLASH_BASE) || !defined(MUSTER_FLASH_SIZE) || !defined(MUSTER_RAM_BASE) ||    \
	!defined(MUSTER_RAM_SIZE) || !defined(PLAT_RAM_BASE) || !defined(PLAT_RAM_SIZE) ||             \
	!defined(PLAT_FLASH_BASE) || !defined(PLAT_FLASH_SIZE)
#error "board.h must define muster's windows (MUSTER_FLASH_*, MUSTER_RAM_*), the payload RAM (PLAT_RAM_*) and the flash image's window (PLAT_FLASH_*)"
#endif
#if !defined(PLAT_COUNTER_HZ)
#error "board.h must define PLAT_COUNTER_HZ, the rate of plat_counter()"
#endif
#if !defined(PLAT_HAS_CPU_POWER)
#error "board.h must set PLAT_HAS_CPU_POWER to 0 or 1"
#endif

/*
 * The flash image, as tools/mkflash.py writes it and muster reads it at PLAT_FLASH_BASE (NOR
 * flash at the reset address, or a window in RAM that a loader fills). One layout for every
 * board, defined here only: mkflash.py and `make print-qemu` (the tests) read these macros.
 *   +0        muster.bin (it runs in place at MUSTER_FLASH_BASE, or a loader copies it there)
 *   +256 KiB  the settings record (include/muster/settings.h), one 256 KiB erase block
 *   +512 KiB  the payload: a uImage made by mkimage, up to the end of PLAT_FLASH_SIZE
 */
#if defined(MUSTER_SETTINGS_ADDR) || defined(MUSTER_PAYLOAD_ADDR) || defined(MUSTER_PAYLOAD_MAX)
#error "the flash image's layout is generic (platform.h): board.h gives PLAT_FLASH_BASE/SIZE only"
#endif
#define MUSTER_SETTINGS_OFFSET 0x00040000
#define MUSTER_PAYLOAD_OFFSET 0x00080000
#define MUSTER_SETTINGS_ADDR (PLAT_FLASH_BASE + MUSTER_SETTINGS_OFFSET)
#define MUSTER_PAYLOAD_ADDR (PLAT_FLASH_BASE + MUSTER_PAYLOAD_OFFSET)
#define MUSTER_PAYLOAD_MAX (PLAT_FLASH_SIZE - MUSTER_PAYLOAD_OFFSET)
#if MUSTER_FLASH_SIZE > MUSTER_SETTINGS_OFFSET
#error "muster.bin sits at the flash image's start, before the settings: MUSTER_FLASH_SIZE <= 256 KiB"
#endif
#if PLAT_FLASH_SIZE <= MUSTER_PAYLOAD_OFFSET
#error "PLAT_FLASH_SIZE leaves no room for a payload"
#endif

/*
 * Optional constants: a board may set these itself; otherwise payloads go to fixed offsets from
 * the RAM base (the same numbers tools/mkflash.py reads through this header).
 */
#ifndef PLAT_HAS_PSCI
#define PLAT_HAS_PSCI 0 /* no Secure monitor: payloads run in the Secure state */
#endif
#ifndef PLAT_HAS_LINUX_SMP_PEN
#define PLAT_HAS_LINUX_SMP_PEN 0 /* no board protocol: Linux gets CPU0 only */
#endif
/*
 * PLAT_LINUX_STARTS_CORES 1: Linux starts the secondaries itself, from reset, through the board's
 * power controller (its own SMP code for the SoC): muster holds every online secondary in reset
 * before it starts Linux (PLAT_HAS_CPU_POWER boards only).
 */
#ifndef PLAT_LINUX_STARTS_CORES
#define PLAT_LINUX_STARTS_CORES 0
#endif
#if PLAT_LINUX_STARTS_CORES && !PLAT_HAS_CPU_POWER
#error "PLAT_LINUX_STARTS_CORES needs PLAT_HAS_CPU_POWER: muster holds the cores through its hooks"
#endif
/*
 * Where the Non-secure world cannot reach muster (what a PSCI board's OS could otherwise write
 * to hang the monitor or take over its control flow: stacks, .data/.bss, the PSCI state, the
 * lock, the mailbox, and the code in flash). One of:
 *   PLAT_MUSTER_MEMORY_SECURE 1: the memory map itself is Secure-only there: MUSTER_RAM_* lies
 *     in Secure-only RAM, PLAT_SECURE_RAM_BASE/SIZE, and muster's flash window is Secure-only;
 *   PLAT_HAS_TZASC 1: the board's TrustZone address-space controller makes it so, programmed by
 *     plat_protect_muster_memory() (optional hook, below) before the first Non-secure entry;
 *   neither: muster's memory is ordinary Non-secure memory, kept from the OS by /memreserve/
 *     only, and the banner says so (docs/psci.md, "The Secure/Non-secure boundary").
 */
#ifndef PLAT_MUSTER_MEMORY_SECURE
#define PLAT_MUSTER_MEMORY_SECURE 0
#endif
#ifndef PLAT_HAS_TZASC
#define PLAT_HAS_TZASC 0
#endif
#if PLAT_MUSTER_MEMORY_SECURE
#if !defined(PLAT_SECURE_RAM_BASE) || !defined(PLAT_SECURE_RAM_SIZE)
#error "PLAT_MUSTER_MEMORY_SECURE needs PLAT_SECURE_RAM_BASE and PLAT_SECURE_RAM_SIZE (the Secure-only RAM)"
#endif
#if MUSTER_RAM_BASE < PLAT_SECURE_RAM_BASE ||                                                     \
	MUSTER_RAM_BASE + MUSTER_RAM_SIZE > PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE
#error "PLAT_MUSTER_MEMORY_SECURE: MUSTER_RAM_* must lie inside PLAT_SECURE_RAM_*"
#endif
#endif
#ifndef PLAT_PAYLOAD_LOAD
#define PLAT_PAYLOAD_LOAD (PLAT_RAM_BASE + 0x00100000)
#endif
#ifndef PLAT_LINUX_LOAD
#define PLAT_LINUX_LOAD (PLAT_RAM_BASE + 0x00008000)
#endif
#ifndef PLAT_LINUX_INITRD_ADDR
#define PLAT_LINUX_INITRD_ADDR (PLAT_RAM_BASE + 0x02000000)
#endif
#ifndef PLAT_LINUX_DTB_ADDR
#define PLAT_LINUX_DTB_ADDR (PLAT_RAM_BASE + 0x03000000)
#endif
#ifndef PLAT_LINUX_MACH_TYPE
#define PLAT_LINUX_MACH_TYPE 0xffffffffU /* "none": device-tree boot */
#endif

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/* ---- mandatory hooks ---------------------------------------------------------------- */

/* CPU0, first thing in C: clocks and the time source. No console yet. */
void plat_early_init(void);

/* Console (CPU0 only; see core/console.c for ownership). */
void plat_console_init(void);
void plat_console_putc(char c);
int plat_console_getc(void); /* -1 when no byte is waiting; never blocks */

/* Monotonic microseconds since plat_early_init. Called by CPU0 only (it keeps the wrap state). */
uint64_t plat_time_us(void);

/* The raw free-running counter behind it, PLAT_COUNTER_HZ, readable by any CPU. */
uint32_t plat_counter(void);

/* Number of cores the hardware reports (e.g. the SCU's CPU count), at most PLAT_MAX_CPUS. */
unsigned plat_cpu_count(void);

/*
 * CPU0, before the first release: the interrupt controller's shared half (distributor), and
 * nothing left active on CPU0's own interface (see plat_secondary_init).
 */
void plat_smp_init(void);

/*
 * A secondary, in its pen before it sleeps: its private half of the interrupt controller, with
 * nothing left active from before the reset. A reset does not always clear it (QEMU's GIC keeps
 * the active priorities; an OS stopped in an interrupt handler left one), and an interrupt still
 * active masks every interrupt of its priority or lower on that CPU for the next OS.
 */
void plat_secondary_init(void);

/* Wake CPU idx from WFI (an SGI). Called after DSB + SEV by the releaser. */
void plat_wake_cpu(unsigned idx);

/*
 * The pen (any CPU parked in it): sleep in WFI until an interrupt, or for at most max_us
 * (1..1000000) on a per-CPU timer armed for this call (max_us 0: no timer, an interrupt only),
 * then acknowledge whatever woke us and disarm the timer: it never fires outside this call. Returns true when plat_wake_cpu's
 * interrupt was acknowledged, false after the timer, a spurious wake-up or anything else.
 * It completes what it acknowledged and leaves nothing active (an earlier OS's interrupt that its
 * acknowledge brings back included): the CPU is muster's alone while it is parked. The timer
 * bounds how long a command published without its wake-up goes unseen (include/muster/smp.h);
 * under PSCI its interrupt stays Secure, like the wake-up (plat_ns_init_cpu).
 */
bool plat_cpu_idle(uint32_t max_us);

/* Power the machine off (QEMU exits) / reset it; if the board cannot, halt CPU0 forever. */
void plat_system_off(void) __attribute__((noreturn));
void plat_system_reset(void) __attribute__((noreturn));

/* ---- optional hooks ----------------------------------------------------------------- */

#if PLAT_HAS_CPU_POWER
/*
 * Only CPU0 leaves reset on such a board. The coordinator keeps every core's power state (off,
 * held, on: include/muster/smp.h) and calls these only where they mean something, so a board keeps
 * no state and needs no idempotence (docs/porting.md, "Cores behind a power controller"):
 *
 * plat_cpu_power_on: CPU0, for a core that is off or held only. Start it from reset at muster's
 * reset vector (MUSTER_FLASH_BASE), with CPU0's earlier stores complete before it runs. 0 when
 * the controller says it started; the coordinator counts it as possibly running either way.
 *
 * plat_cpu_hold_in_reset: CPU0, for a core that may be running and touched nothing shared (it
 * missed its deadline before ARRIVED, or is parked). Stop it wherever it is, so that the next
 * power-on restarts it from reset. 0 only once the hold has taken effect, confirmed by the
 * hardware or after a settle time the SoC's manual gives: a power-on written before then can be
 * lost (an asynchronous controller sees the core still on). Otherwise non-zero: the core stays
 * "on", and a retry reaches it through its pen.
 */
int plat_cpu_power_on(unsigned idx);
int plat_cpu_hold_in_reset(unsigned idx);
#endif

#if PLAT_HAS_LINUX_SMP_PEN
/* CPU0, before handing the secondaries over: reset the board's Linux release mechanism. */
void plat_linux_smp_prepare(void);
/* The entry a secondary is released to before Linux starts; runs from RAM, never returns. */
void plat_linux_secondary_pen(uint32_t arg) __attribute__((noreturn));
#endif

#if PLAT_HAS_TZASC
/*
 * CPU0, once, before the first Non-secure entry (the secondaries are parked in muster's pen and
 * keep using their slots: Secure accesses stay allowed): program the board's TrustZone
 * address-space controller so that MUSTER_RAM_* (and muster's flash window, if the controller
 * covers it) refuses every Non-secure access, ideally with an error response (an external abort
 * in the OS) rather than read-as-zero. 0 when done; otherwise muster starts no Non-secure OS.
 */
int plat_protect_muster_memory(void);
#endif

#if PLAT_HAS_PSCI
/*
 * muster is the PSCI firmware (smp/psci.c). Such a board also lets any CPU call plat_time_us
 * (CPU_ON runs the coordinator on the caller) and defines PLAT_ACTLR_SET in board.h.
 */
/* CPU0, once, before the OS starts: the interrupt controller's shared half goes Non-secure,
 * except muster's wake-up, which stays Secure and is signalled as FIQ (to the monitor). */
void plat_ns_init(void);
/* Each CPU, before it enters the OS: the same for its private half (its SGIs and PPIs). */
void plat_ns_init_cpu(void);
/* A CPU back in the pen by CPU_OFF: the OS's interrupts no longer wake it. */
void plat_ns_quiesce_cpu(void);
/* In the monitor: acknowledge Secure interrupts (late muster wake-ups) pending on this CPU. */
void plat_ack_secure_interrupt(void);
#endif

static inline int plat_opt_cpu_power_on(unsigned idx)
{
#if PLAT_HAS_CPU_POWER
	return plat_cpu_power_on(idx);
#else
	(void)idx;
	return 0; /* cores leave reset with CPU0 and wait in the pen */
#endif
}

static inline int plat_opt_protect_muster_memory(void)
{
#if PLAT_HAS_TZASC
	return plat_protect_muster_memory();
#else
	return 0; /* Secure-only by the memory map, or not protected at all (the banner says which) */
#endif
}

static inline int plat_opt_cpu_hold_in_reset(unsigned idx)
{
#if PLAT_HAS_CPU_POWER
	return plat_cpu_hold_in_reset(idx);
#else
	(void)idx;
	return -1; /* cannot: a core that missed its deadline stays parked on ABANDON */
#endif
}

#endif /* __ASSEMBLER__ */
#endif
