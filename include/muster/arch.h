/* CPU primitives: barriers, wait/wake instructions and MMIO accessors, with host stand-ins for tests. */
#ifndef MUSTER_ARCH_H
#define MUSTER_ARCH_H

#include <stdint.h>

#ifdef MUSTER_HOST
/*
 * Host build (unit tests, stress): the ARM barriers map to C11 fences, and every word that
 * two CPUs share goes through an atomic access so that ThreadSanitizer sees what we mean.
 * writel's leading DMB is release ordering; readl's trailing DMB is acquire ordering.
 */
#define dmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dsb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define isb() ((void)0)
#include <sched.h>
#define cpu_relax() ((void)sched_yield())
void host_sev(void);
void host_wfe(void);
#define sev() host_sev()
#define wfe() host_wfe()

static inline void writel(uint32_t value, volatile uint32_t *addr)
{
	__atomic_store_n((uint32_t *)addr, value, __ATOMIC_RELEASE);
}

static inline uint32_t readl(const volatile uint32_t *addr)
{
	return __atomic_load_n((const uint32_t *)addr, __ATOMIC_ACQUIRE);
}

static inline void sctlr_alignment_check(int on)
{
	(void)on;
}

static inline uint32_t read_mpidr(void)
{
	extern uint32_t host_current_mpidr(void);
	return host_current_mpidr();
}

#else /* target */

/* Data Memory Barrier: orders explicit memory accesses before it against those after it. */
#define dmb() __asm__ volatile("dmb sy" ::: "memory")
/* Data Synchronization Barrier: completes all accesses before it before any instruction after it. */
#define dsb() __asm__ volatile("dsb sy" ::: "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
/*
 * cpu_relax: a polling loop's pause. YIELD is only a hint on hardware; under QEMU's single-threaded
 * TCG (as with -icount) it also hands the host thread to the other vCPUs, which would otherwise
 * not run until CPU0's time slice ends.
 */
#define cpu_relax() __asm__ volatile("yield" ::: "memory")

/*
 * writel: a store to memory another agent reads. The DMB before it orders every earlier
 * access of this CPU (the fields the store publishes) before the store itself; this is
 * the barrier whose absence the seed thread traced the lost secondary to.
 */
static inline void writel(uint32_t value, volatile uint32_t *addr)
{
	dmb(); /* earlier accesses before this store */
	*addr = value;
}

/* readl: a load of a shared word; the DMB after it orders it before every later access. */
static inline uint32_t readl(const volatile uint32_t *addr)
{
	uint32_t value = *addr;
	dmb(); /* this load before later accesses */
	return value;
}

static inline uint32_t read_mpidr(void)
{
	uint32_t mpidr;
	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
	return mpidr;
}

/*
 * SCTLR.A, the alignment check. muster runs with it set (boot/start.S), so that a misaligned
 * access faults on every core and emulator, not only where MMU-off Device memory makes it fault
 * (Cortex-A7/A15, QEMU >= 10; UNPREDICTABLE on the A9). Code muster hands the CPU to (a payload,
 * an OS, a mailbox command) gets the reset value, 0, and muster sets it again when that returns.
 */
static inline void sctlr_alignment_check(int on)
{
	uint32_t sctlr;

	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
	sctlr = on ? (sctlr | (1U << 1)) : (sctlr & ~(1U << 1));
	/* the ISB: the new SCTLR applies to every access after this point */
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" : : "r"(sctlr) : "memory");
}

/* Raw MMIO for device registers (no ordering implied beyond Device/Strongly-ordered). */
static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

#endif /* MUSTER_HOST */

#endif
