/* PSCI 1.0 firmware: the OS's CPU_ON / CPU_OFF go through the same pen and coordinator as muster's boot. */

#include <muster/bakery.h>
#include <muster/cpu.h>
#include <muster/fault.h>
#include <muster/layout.h>
#include <muster/psci.h>
#include <muster/smp.h>

#if PLAT_HAS_PSCI

#ifndef PLAT_ACTLR_SET
#error "a PSCI board's board.h must define PLAT_ACTLR_SET, the ACTLR bits its CPU needs (SMP...)"
#endif

/*
 * Per-CPU PSCI state, guarded by psci_lock. A CPU moves OFF -> ON_PENDING (a CPU_ON caller,
 * who then owns the release) -> ON (the CPU itself, just before it enters the OS) -> OFF (the
 * CPU itself, once it is parked again after CPU_OFF). A failed CPU_ON returns it to OFF only
 * if the coordinator abandoned it (parked, harmless); one that was told PROCEED and went silent,
 * or faulted, stays ON_PENDING: it may be running, so it is never released again.
 * A CPU back from CPU_OFF says OFF only once its caller has left smp_release: until then the
 * coordinator's record of it is still in flight and would refuse the next CPU_ON
 * (tests/model/psci.pml, property P2, found this).
 */
struct psci_cpu {
	uint32_t state;      /* PSCI_AFF_* */
	uint32_t entry;      /* the OS's entry for this CPU, set by the CPU_ON caller */
	uint32_t context_id; /* passed in r0 */
	uint32_t releasing;  /* 1 from OFF -> ON_PENDING until its caller is back from smp_release */
	bool failed;         /* CPU_ON found it lost or faulted: refused from then on */
};

static struct psci_cpu psci_cpus[PLAT_MAX_CPUS];
static struct bakery_lock psci_lock;

/* What each CPU did as the OS's firmware, reported at SYSTEM_OFF / SYSTEM_RESET. Each CPU
 * writes only its own line (no lock): the calls it made, the late wake-ups its monitor took.
 * The counts are diagnostics: report() reads them once the OS has stopped its other CPUs. */
struct psci_stats {
	uint32_t cpu_on_ok;     /* CPU_ONs this CPU made that succeeded */
	uint32_t cpu_on_failed; /* ... that failed after a release (INTERNAL_FAILURE) */
	uint32_t cpu_off;       /* CPU_OFFs this CPU made */
	uint32_t late_wakeups;  /* muster wake-ups that reached it in the OS (monitor FIQs) */
	uint32_t pad[(MBOX_LINE_SIZE / 4) - 4];
} __attribute__((aligned(MBOX_LINE_SIZE)));

_Static_assert(sizeof(struct psci_stats) == MBOX_LINE_SIZE, "one writer per cache line");

static struct psci_stats psci_stats[PLAT_MAX_CPUS];

/* NSACR: CP10/CP11 (VFP, NEON) usable by the Non-secure side, and ACTLR.SMP writable by it. */
#define NSACR_CP10 (1U << 10)
#define NSACR_CP11 (1U << 11)
#define NSACR_NS_SMP (1U << 18)

extern char cpu_stacks[]; /* linker script: the per-CPU stack blocks, as start.S lays them out */

static uint32_t stack_top(unsigned idx)
{
	return (uint32_t)(uintptr_t)cpu_stacks + (idx + 1U) * CPU_STACK_SIZE;
}

static unsigned this_cpu(void)
{
	return (unsigned)cpu_index_of(read_mpidr()); /* valid: start.S parks any other MPIDR */
}

/* Everything a CPU sets up in the Secure state before it may enter the OS: done by each CPU. */
static void prepare_cpu(unsigned idx)
{
	uint32_t v;

	monitor_install(stack_top(idx));
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v)); /* ACTLR */
	v |= PLAT_ACTLR_SET; /* e.g. SMP: coherent with the other cores before the OS's caches are on */
	__asm__ volatile("mcr p15, 0, %0, c1, c0, 1" ::"r"(v));
	v = NSACR_CP10 | NSACR_CP11 | NSACR_NS_SMP;
	__asm__ volatile("mcr p15, 0, %0, c1, c1, 2" ::"r"(v)); /* NSACR */
	isb(); /* ACTLR and NSACR are in effect before the Non-secure side runs */
	plat_ns_init_cpu(); /* its interrupts Non-secure, muster's wake-up Secure (FIQ) */
}

static void set_state(unsigned idx, uint32_t state)
{
	unsigned me = this_cpu();

	bakery_lock(&psci_lock, me);
	psci_cpus[idx].state = state;
	bakery_unlock(&psci_lock, me);
}

/* Runs on the target after the coordinator's PROCEED (secondary pen, Secure SVC). */
static void psci_cpu_start(uint32_t idx)
{
	prepare_cpu(idx);
	/* Our reads below follow the caller's writes: they preceded its release (writel's DMB),
	 * which we took and acknowledged. */
	uint32_t entry = psci_cpus[idx].entry, context_id = psci_cpus[idx].context_id;

	set_state(idx, PSCI_AFF_ON);
	ns_enter(entry, context_id, 0, 0);
}

int psci_prepare_os(bool *hyp)
{
	uint32_t pfr1;

	__asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(pfr1)); /* ID_PFR1 */
	if (((pfr1 >> 4) & 0xfU) == 0)
		return PSCI_OS_NO_SECURITY_EXTENSIONS;
	*hyp = ((pfr1 >> 12) & 0xfU) != 0; /* the Virtualization Extensions: the OS starts in HYP */
	for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++) {
		bool online = smp_online_mask() & (1U << idx);

		psci_cpus[idx] = (struct psci_cpu){
			.state = idx == 0 ? PSCI_AFF_ON : PSCI_AFF_OFF,
			.failed = idx != 0 && !online && smp_release_refusal(idx) != NULL,
		};
	}
	/* cppcheck-suppress knownConditionTrueFalse ; a constant 0 where PLAT_HAS_TZASC is 0 */
	if (plat_opt_protect_muster_memory() != 0)
		return PSCI_OS_MEMORY_UNPROTECTED;
	plat_ns_init();
	return PSCI_OS_READY;
}

void psci_enter_os(uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2)
{
	prepare_cpu(0);
	/* From here the console belongs to the OS: the monitor prints only at SYSTEM_OFF/RESET. */
	ns_enter(entry, r0, r1, r2);
}

static bool ns_ram(uint32_t addr)
{
	if (addr < PLAT_RAM_BASE || addr - PLAT_RAM_BASE >= PLAT_RAM_SIZE)
		return false;
	return addr < MUSTER_RAM_BASE || addr - MUSTER_RAM_BASE >= MUSTER_RAM_SIZE;
}

static int32_t cpu_on(uint32_t target, uint32_t entry, uint32_t context_id)
{
	unsigned me = this_cpu();

	/* Only affinity fields (Aff2..Aff0), no MPIDR flag bits: 0xffffffff is no CPU. */
	if (target & ~MPIDR_AFF_MASK)
		return PSCI_INVALID_PARAMETERS;
	int idx = cpu_index_of(MPIDR_MP_FORMAT | target);
	if (idx < 0 || (unsigned)idx >= smp_cpu_total())
		return PSCI_INVALID_PARAMETERS;
	/* The entry must be Non-secure RAM; an A32 entry must be word-aligned. */
	if (!ns_ram(entry & ~1U) || (!(entry & 1U) && (entry & 3U)))
		return PSCI_INVALID_ADDRESS;

	bakery_lock(&psci_lock, me);
	struct psci_cpu *cpu = &psci_cpus[idx];
	int32_t ret = PSCI_SUCCESS;

	/* A failed CPU, or one OFF but not parked in the pen (never, when healthy), is refused. */
	if (cpu->failed || (cpu->state == PSCI_AFF_OFF && smp_release_refusal((unsigned)idx) != NULL))
		ret = PSCI_INTERNAL_FAILURE;
	else if (cpu->state == PSCI_AFF_ON)
		ret = PSCI_ALREADY_ON;
	else if (cpu->state == PSCI_AFF_ON_PENDING)
		ret = PSCI_ON_PENDING;
	else {
		cpu->state = PSCI_AFF_ON_PENDING; /* ours: no other caller touches its release */
		cpu->releasing = 1;
		cpu->entry = entry;
		cpu->context_id = context_id;
	}
	bakery_unlock(&psci_lock, me);
	if (ret != PSCI_SUCCESS)
		return ret;

	/* The boot's release path: publish, wake, ARRIVED, PROCEED, acknowledgment, deadline. */
	bool online = smp_release(1U << idx, (uint32_t)(uintptr_t)psci_cpu_start, (uint32_t)idx) != 0;

	bakery_lock(&psci_lock, me);
	/* Online: it marks itself ON before it enters the OS. Otherwise: */
	if (!online && smp_release_refusal((unsigned)idx) == NULL)
		cpu->state = PSCI_AFF_OFF; /* abandoned and parked: may be turned on again */
	else if (!online)
		cpu->failed = true; /* lost or faulted: it may be running; never again */
	writel(0, &cpu->releasing); /* our record of it is settled: it may say OFF after CPU_OFF */
	bakery_unlock(&psci_lock, me);
	if (!online) {
		psci_stats[me].cpu_on_failed++;
		return PSCI_INTERNAL_FAILURE;
	}
	psci_stats[me].cpu_on_ok++;
	if (fault_active(FAULT_LATE_WAKE)) {
		dsb(); /* test builds: our reads of its acknowledgment complete before the extra SGI */
		plat_wake_cpu((unsigned)idx);
	}
	return PSCI_SUCCESS;
}

/* Runs in Secure SVC on a fresh stack after CPU_OFF left the OS: park, then say OFF. */
static void psci_cpu_parked(unsigned idx)
{
	secondary_entry_done(idx); /* PARKED: releasable again */
	/* Its releaser may still be in smp_release (an OS that turns a CPU off at once); `releasing`
	 * cannot be set again before we say OFF, so waiting outside the lock is enough. */
	while (readl(&psci_cpus[idx].releasing))
		cpu_relax();
	set_state(idx, PSCI_AFF_OFF); /* only now: AFFINITY_INFO says OFF once the CPU is */
	secondary_pen(idx);
}

static int32_t cpu_off(void)
{
	unsigned idx = this_cpu();

	if (idx == 0)
		return PSCI_DENIED; /* the boot CPU keeps muster's console and power control */
	psci_stats[idx].cpu_off++;
	plat_ns_quiesce_cpu(); /* the OS's interrupts no longer wake it in the pen */
	/* The OS's cache lines stay coherent: ACTLR.SMP remains set and the core keeps its power. */
	monitor_to_pen(idx, stack_top(idx), psci_cpu_parked);
}

static int32_t affinity_info(uint32_t target, uint32_t level)
{
	if (level != 0 || (target & ~MPIDR_AFF_MASK))
		return PSCI_INVALID_PARAMETERS;
	int idx = cpu_index_of(MPIDR_MP_FORMAT | target);
	if (idx < 0 || (unsigned)idx >= smp_cpu_total())
		return PSCI_INVALID_PARAMETERS;
	return (int32_t)readl(&psci_cpus[idx].state); /* one word: the lock adds nothing */
}

static int32_t cpu_suspend(uint32_t power_state)
{
	/* Standby at the core level only: a WFI that any interrupt ends. */
	if (power_state & (PSCI_POWER_STATE_TYPE_POWERDOWN | PSCI_POWER_STATE_LEVEL_MASK))
		return PSCI_INVALID_PARAMETERS;
	dsb(); /* the caller's accesses complete before the core stands by */
	wfi();
	return PSCI_SUCCESS;
}

static int32_t features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND: /* 0: original power_state format, no OS-initiated mode */
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* The OS is done with the machine: what this firmware did for it, for CPU0's console (core/). */
static void report(const char *call)
{
	struct psci_totals sum = { 0 };

	for (unsigned idx = 0; idx < PLAT_MAX_CPUS; idx++) {
		sum.cpu_on_ok += readl(&psci_stats[idx].cpu_on_ok);
		sum.cpu_on_failed += readl(&psci_stats[idx].cpu_on_failed);
		sum.cpu_off += readl(&psci_stats[idx].cpu_off);
		sum.late_wakeups += readl(&psci_stats[idx].late_wakeups);
	}
	psci_report_exit(call, this_cpu(), &sum);
}

int32_t psci_smc_handler(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	switch (fid) {
	case PSCI_VERSION:
		return (int32_t)PSCI_VERSION_1_0;
	case PSCI_CPU_SUSPEND:
		return cpu_suspend(a1);
	case PSCI_CPU_OFF:
		return cpu_off();
	case PSCI_CPU_ON:
		return cpu_on(a1, a2, a3);
	case PSCI_AFFINITY_INFO:
		return affinity_info(a1, a2);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT;
	case PSCI_SYSTEM_OFF:
		report("SYSTEM_OFF");
		plat_system_off();
	case PSCI_SYSTEM_RESET:
		report("SYSTEM_RESET");
		plat_system_reset();
	case PSCI_FEATURES:
		return features(a1);
	default:
		return PSCI_NOT_SUPPORTED; /* MIGRATE, MIGRATE_INFO_UP_CPU, SMC64, other services */
	}
}

void psci_monitor_fiq(void)
{
	psci_stats[this_cpu()].late_wakeups++;
	plat_ack_secure_interrupt();
}

#endif /* PLAT_HAS_PSCI */
