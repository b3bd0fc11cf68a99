/* The PSCI conformance test: a Linux-protocol payload that checks the firmware's PSCI 1.0 from every CPU. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psci-test.h"

#if !defined(PLAT_HAS_PSCI) || !PLAT_HAS_PSCI || !defined(PLAT_CONSOLE_PL011_BASE)
/* A board without PSCI firmware: nothing to build (the static checks still compile this file). */
typedef int psci_test_not_built;
#else

/*
 * PSCI_TEST_HVC: the reference build, run against QEMU's built-in PSCI (HVC, no muster). Where
 * that implementation legitimately differs (an earlier PSCI version, an optional function, no
 * entry-point validation) the check says so instead of failing; everything else is the same.
 */
#ifdef PSCI_TEST_HVC
#define CONDUIT "hvc"
#define REFERENCE 1
/*
 * QEMU 7.2's PSCI (target/arm/arm-powerctl.c, arm_set_cpu_on) queues the start on the target
 * vCPU and leaves its state OFF until that runs: no ON_PENDING. So AFFINITY_INFO may say OFF
 * after a successful CPU_ON, and CPU_ONs racing in that window all succeed. The spec allows
 * neither; the reference run reports them and does not count them.
 */
#define REFERENCE_NOTE "QEMU's CPU_ON leaves the target OFF, not ON_PENDING, until it runs"
#else
#define CONDUIT "smc"
#define REFERENCE 0
#define REFERENCE_NOTE ""
#endif

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INVALID_ADDRESS (-9)
#define AFF_ON 0
#define AFF_OFF 1
#define AFF_ON_PENDING 2
#define TOS_NOT_PRESENT 2 /* MIGRATE_INFO_TYPE: no Trusted OS */

#define TIMEOUT_MS 1000U   /* a CPU must be on, and off after CPU_OFF, within this (TF-A's test figure) */
/*
 * Race rounds only bound liveness (a racer answers, the target enters and goes off): a longer
 * bound, because on a loaded 2-core host a TCG vCPU thread can wait hundreds of ms to run.
 */
#define RACE_TIMEOUT_MS 5000U
#define ONOFF_CYCLES 2U    /* per secondary in the CPU_ON/CPU_OFF check: on again after off */
#define RACE_ROUNDS 100U
#define MAX_FAIL_NOTES 3U  /* per check: the first few failures in detail, the rest counted */
/* An address with no RAM behind it on every PSCI board (their RAM windows are below 3 GiB). */
#define NO_RAM_ADDR 0xf0000000U
_Static_assert(NO_RAM_ADDR > PLAT_RAM_BASE + PLAT_RAM_SIZE - 1, "NO_RAM_ADDR must lie past the RAM");

/* Barriers, each use commented where it stands. */
#define dmb() __asm__ volatile("dmb sy" ::: "memory")
#define dsb() __asm__ volatile("dsb sy" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define cpu_relax() __asm__ volatile("yield" ::: "memory") /* lets TCG run the other vCPUs */

/* start.S */
int32_t psci_call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
uint32_t psci_preserve_probe(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
void secondary_entry(void);
void boot_main(uint32_t cpsr, uint32_t sctlr, uint32_t r0, uint32_t dtb) __attribute__((noreturn));
void secondary_main(uint32_t context_id, uint32_t cpsr, uint32_t sctlr) __attribute__((noreturn));
void psci_test_exception(uint32_t vector, uint32_t lr, uint32_t spsr);

/*
 * context_id: marker, role, sequence number, caller and target, so every CPU_ON of the run
 * carries its own value and the target can tell what it was started for.
 */
enum role { ROLE_ONOFF = 0, ROLE_RACER = 1, ROLE_TARGET = 2 };
#define CTX(role, seq, caller, cpu)                                                                  \
	(0xc0000000U | ((uint32_t)(role) << 28) | (((uint32_t)(seq)&0xfffffU) << 8) |                \
	 (((uint32_t)(caller)&0xfU) << 4) | ((uint32_t)(cpu)&0xfU))
#define CTX_ROLE(ctx) (((ctx) >> 28) & 3U)

/* Written only by its own CPU, read by the boot CPU; one 64-byte line each. */
struct cpu_status {
	uint32_t entries;    /* CPU_ON entries so far: written last, it publishes the fields below */
	uint32_t context_id; /* r0 at the last entry */
	uint32_t cpsr;       /* CPSR at the last entry, before leaving HYP */
	uint32_t sctlr;      /* SCTLR at the last entry */
	uint32_t mpidr;
	uint32_t race_go;    /* the last race round it answered as a racer: publishes race_ret */
	int32_t race_ret;    /* its CPU_ON result in that round */
	uint32_t off_returns; /* how often CPU_OFF returned (never, when correct): publishes off_ret */
	int32_t off_ret;
	uint32_t faults;     /* exceptions taken (it stops after one): publishes the record below */
	uint32_t fault_vector, fault_pc, fault_cpsr, fault_addr;
	uint32_t gic_mask;   /* its GIC CPU interface bit, for wake-up SGIs (0: none) */
} __attribute__((aligned(64))); /* the alignment pads each to a full line */
_Static_assert(sizeof(struct cpu_status) == 64, "one line per writer");

/* Written only by the boot CPU. */
struct cpu_cmd {
	uint32_t off_token; /* call CPU_OFF once this equals the context_id you entered with */
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct cpu_cmd) == 64, "one line per writer");

struct race_cmd {
	uint32_t target;  /* target_cpu of the coming round */
	uint32_t callers; /* bit i: cpu i calls CPU_ON in every round (the boot CPU and the racers) */
	uint32_t go;      /* the round's number: written last, racers call CPU_ON when it changes */
} __attribute__((aligned(64)));

static volatile struct cpu_status status[PT_MAX_CPUS];
static volatile struct cpu_cmd cmd[PT_MAX_CPUS];
static volatile struct race_cmd race;

/* Boot CPU state. */
static uint32_t boot_mpidr, boot_idx, boot_mode, seq = 1;
static uint64_t ticks_per_s;
static unsigned n_checks, n_failed, n_cpus;
static bool racer_up[PT_MAX_CPUS];

/* ---- console (boot CPU only) ---------------------------------------------------------- */

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1U << 5)

static void uart_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)PLAT_CONSOLE_PL011_BASE;

	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

struct out {
	char *buf;
	size_t len, cap;
};

static void out_c(struct out *o, char c)
{
	if (o->len + 1 < o->cap) {
		o->buf[o->len++] = c;
		o->buf[o->len] = '\0';
	}
}

/* printf's subset: %d %u %x %s %c %%, flag 0, a width; 'l' is accepted (long is 32 bits). */
static void out_v(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		unsigned width = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10U + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l')
			fmt++;
		char digits[12];
		unsigned n = 0;
		uint32_t v;
		bool neg = false;
		switch (*fmt) {
		case 'd': {
			int32_t s = va_arg(ap, int32_t);
			neg = s < 0;
			v = neg ? 0U - (uint32_t)s : (uint32_t)s;
			do {
				digits[n++] = (char)('0' + v % 10U);
				v /= 10U;
			} while (v);
			break;
		}
		case 'u':
			v = va_arg(ap, uint32_t);
			do {
				digits[n++] = (char)('0' + v % 10U);
				v /= 10U;
			} while (v);
			break;
		case 'x':
			v = va_arg(ap, uint32_t);
			do {
				digits[n++] = "0123456789abcdef"[v & 15U];
				v >>= 4;
			} while (v);
			break;
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				out_c(o, *s);
			continue;
		case 'c':
			out_c(o, (char)va_arg(ap, int));
			continue;
		case '%':
			out_c(o, '%');
			continue;
		default: /* not a conversion we know: show it, stop formatting */
			out_c(o, '?');
			return;
		}
		if (neg)
			out_c(o, '-');
		for (unsigned w = n + (neg ? 1U : 0U); w < width; w++)
			out_c(o, pad);
		while (n)
			out_c(o, digits[--n]);
	}
}

static void pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void pr(const char *fmt, ...)
{
	char buf[320];
	struct out o = {buf, 0, sizeof(buf)};
	va_list ap;

	buf[0] = '\0';
	va_start(ap, fmt);
	out_v(&o, fmt, ap);
	va_end(ap);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			uart_putc('\r');
		uart_putc(*p);
	}
}

/* ---- checks: each collects its failures, then prints one ok/FAIL line ------------------- */

static char why_buf[256];
static struct out why = {why_buf, 0, sizeof(why_buf)};
static unsigned why_notes; /* failures seen by the current check */

static void begin(void)
{
	why.len = 0;
	why_buf[0] = '\0';
	why_notes = 0;
}

static bool failing(void)
{
	return why_notes != 0;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (why_notes++ >= MAX_FAIL_NOTES)
		return;
	if (why.len) {
		out_c(&why, ';');
		out_c(&why, ' ');
	}
	va_start(ap, fmt);
	out_v(&why, fmt, ap);
	va_end(ap);
}

static void end(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void end(const char *fmt, ...)
{
	char name[96];
	struct out o = {name, 0, sizeof(name)};
	va_list ap;

	name[0] = '\0';
	va_start(ap, fmt);
	out_v(&o, fmt, ap);
	va_end(ap);
	n_checks++;
	if (!failing()) {
		pr("psci-test: %s: ok\n", name);
		return;
	}
	n_failed++;
	if (why_notes > MAX_FAIL_NOTES)
		pr("psci-test: %s: FAIL %s (and %u more)\n", name, why_buf, why_notes - MAX_FAIL_NOTES);
	else
		pr("psci-test: %s: FAIL %s\n", name, why_buf);
}

static const char *ret_name(int32_t r)
{
	static const char *const names[] = {"SUCCESS",       "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
					    "ALREADY_ON",    "ON_PENDING",    "INTERNAL_FAILURE",   "NOT_PRESENT",
					    "DISABLED",      "INVALID_ADDRESS"};
	return r <= 0 && r >= -9 ? names[-r] : "not a PSCI return code";
}

static const char *aff_name(int32_t a)
{
	return a == AFF_ON ? "ON" : a == AFF_OFF ? "OFF" : a == AFF_ON_PENDING ? "ON_PENDING" : ret_name(a);
}

/* One failure note when a call did not return what the spec says. */
static bool expect(int32_t got, int32_t want, const char *what)
{
	if (got == want)
		return true;
	fail("%s returned %ld (%s), expected %ld (%s)", what, (long)got, ret_name(got), (long)want,
	     ret_name(want));
	return false;
}

/* ---- CPU and time --------------------------------------------------------------------- */

static uint32_t read_mpidr(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
	return v;
}

static uint32_t read_id_pfr1(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(v));
	return v;
}

static uint32_t read_cntfrq(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

static uint64_t now(void)
{
	uint32_t lo, hi;
	/* isb: read the counter here, not speculatively before the loop's previous accesses */
	__asm__ volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t ms_ticks(uint32_t ms)
{
	return ticks_per_s * ms / 1000U;
}

static uint32_t ticks_us(uint64_t t)
{
	return (uint32_t)(t * 1000000U / ticks_per_s);
}

static unsigned my_index(void)
{
	return read_mpidr() & 0xffU;
}

/* PSCI target_cpu for CPU index i: Aff2..Aff1 of the boot CPU, Aff0 = i, all other bits zero. */
static uint32_t target_of(unsigned i)
{
	return (boot_mpidr & 0x00ffff00U) | i;
}

/* The mode PSCI must enter a started CPU in: the highest Non-secure one implemented. */
static uint32_t entry_mode_expected(void)
{
	return (read_id_pfr1() >> 12) & 0xfU ? PT_MODE_HYP : PT_MODE_SVC; /* ID_PFR1.Virtualization */
}

static const char *mode_name(uint32_t cpsr)
{
	switch (cpsr & PT_MODE_MASK) {
	case PT_MODE_SVC:
		return "svc";
	case PT_MODE_HYP:
		return "hyp";
	default:
		return "other";
	}
}

static int32_t affinity(unsigned i)
{
	return psci_call(PSCI_AFFINITY_INFO, target_of(i), 0, 0);
}

static int32_t cpu_on(uint32_t target, uint32_t entry, uint32_t ctx)
{
	dsb(); /* every store a started CPU may read is complete before it can start */
	return psci_call(PSCI_CPU_ON, target, entry, ctx);
}

#define ENTRY ((uint32_t)(uintptr_t)secondary_entry)

static void wake(uint32_t mask);

/* Tell CPU i, running with context ctx, to call CPU_OFF. */
static void release_off(unsigned i, uint32_t ctx)
{
	cmd[i].off_token = ctx;
	dsb(); /* the token is visible before the event or SGI that wakes the CPU */
	sev();
	wake(status[i].gic_mask);
}

/* Wait until CPU i's entry count moves past e0; false after ms milliseconds. */
static bool wait_entry(unsigned i, uint32_t e0, uint32_t ms, uint64_t *took)
{
	uint64_t t0 = now(), limit = ms_ticks(ms);

	for (;;) {
		uint64_t t = now() - t0;
		if (status[i].entries != e0) {
			dmb(); /* the count before the entry record it publishes */
			*took = t;
			return true;
		}
		if (t > limit || status[i].faults)
			return false;
		cpu_relax();
	}
}

/* Poll AFFINITY_INFO(i) until OFF; false after ms milliseconds or on a state other than ON/OFF. */
static bool wait_off(unsigned i, uint32_t ms, uint64_t *took, int32_t *last)
{
	uint64_t t0 = now(), limit = ms_ticks(ms);

	for (;;) {
		int32_t a = affinity(i);
		uint64_t t = now() - t0;
		*last = a;
		*took = t;
		if (a == AFF_OFF)
			return true;
		if (a != AFF_ON || t > limit)
			return false;
		cpu_relax();
	}
}

static const char *exception_name(uint32_t vector)
{
	static const char *const names[] = {"reset", "undefined instruction", "supervisor call", "prefetch abort",
					    "data abort", "hyp trap", "IRQ", "FIQ"};
	return names[vector & 7U];
}

/* What a CPU that did not do as told was last seen doing, for a failure note. */
static void note_cpu(unsigned i)
{
	const volatile struct cpu_status *st = &status[i];

	if (st->faults)
		fail("cpu%u took a %s at pc 0x%08lx (cpsr 0x%08lx, address 0x%08lx)", i,
		     exception_name(st->fault_vector), (unsigned long)st->fault_pc,
		     (unsigned long)st->fault_cpsr, (unsigned long)st->fault_addr);
	if (st->off_returns)
		fail("cpu%u: CPU_OFF returned %ld (%s)", i, (long)st->off_ret, ret_name(st->off_ret));
}

/* ---- sleeping while waiting: SGIs through the GIC the device tree names ------------------ */

/*
 * QEMU's WFE does not sleep (before 11.1), so racers waiting for the next round would spin and
 * starve the vCPUs doing the work on a small host. When the device tree names a GICv2 and a
 * Group 1 SGI reaches the boot CPU (tested once), racers wait in WFI and are woken with SGI
 * WAKE_SGI, as Linux's IPIs are; otherwise they wait in WFE, as on hardware. Either way the
 * loop re-reads its word after every wake-up: a wake-up only says "look again".
 */
#define WAKE_SGI 1U
#define GICD_CTLR 0x000
#define GICD_ISENABLER0 0x100
#define GICD_IPRIORITYR0 0x400
#define GICD_ITARGETSR0 0x800
#define GICD_SGIR 0xf00
#define GICD_SGIR_SELF (2U << 24)
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GIC_SPURIOUS 1020U /* IAR IDs from here up: nothing to acknowledge */

/* Set by the boot CPU before its first CPU_ON, read-only afterwards. */
static volatile uint32_t *gicd, *gicc;
static bool gic_ok;

static uint32_t be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool str_eq(const volatile uint8_t *a, const char *b)
{
	while (*b && *a == (uint8_t)*b) {
		a++;
		b++;
	}
	return *a == 0 && *b == 0;
}

/*
 * The first node with an "interrupt-controller" property and a reg of two (address, size)
 * pairs, one cell each, as the per-board device trees in tests/psci/ give the GIC.
 */
static bool fdt_find_gic(uint32_t dtb, uint32_t *dist, uint32_t *cpu)
{
	const volatile uint8_t *f = (const volatile uint8_t *)(uintptr_t)dtb;

	if (!dtb || dtb % 4U || be32(f) != 0xd00dfeedU)
		return false;
	uint32_t total = be32(f + 4), off = be32(f + 8), strings = be32(f + 12), size = be32(f + 36);
	if (total > 0x100000U || off % 4U || off > total || size > total - off || strings > total)
		return false;
	const volatile uint8_t *p = f + off, *end = p + size, *reg = NULL;
	bool ic = false;
	while (p + 4 <= end) {
		uint32_t token = be32(p);
		p += 4;
		if (token == 1U || token == 2U) { /* BEGIN_NODE, END_NODE: the node so far is complete */
			if (ic && reg) {
				*dist = be32(reg);
				*cpu = be32(reg + 8);
				return true;
			}
			ic = false;
			reg = NULL;
			if (token == 1U) {
				while (p < end && *p)
					p++;
				p = f + ((uint32_t)(p + 1 - f) + 3U) / 4U * 4U;
			}
		} else if (token == 3U) { /* PROP: len, name offset, value */
			if (p + 8 > end)
				return false;
			uint32_t len = be32(p), name = be32(p + 4);
			p += 8;
			if (len > (uint32_t)(end - p) || name >= total - strings)
				return false;
			if (str_eq(f + strings + name, "interrupt-controller"))
				ic = true;
			else if (str_eq(f + strings + name, "reg") && len >= 16U)
				reg = p;
			p += (len + 3U) / 4U * 4U;
		} else if (token != 4U) { /* NOP goes on; END or anything else ends the walk */
			return false;
		}
	}
	return false;
}

static void gic_ack(void)
{
	uint32_t iar = gicc[GICC_IAR / 4];

	if ((iar & 0x3ffU) < GIC_SPURIOUS)
		gicc[GICC_EOIR / 4] = iar;
}

/* This CPU's Non-secure GIC CPU interface on, WAKE_SGI enabled; returns its interface bit. */
static uint32_t gic_cpu_on(void)
{
	volatile uint32_t *prio = &gicd[GICD_IPRIORITYR0 / 4 + WAKE_SGI / 4];

	*prio = (*prio & ~(0xffU << (8U * (WAKE_SGI % 4U)))) | (0x80U << (8U * (WAKE_SGI % 4U)));
	gicd[GICD_ISENABLER0 / 4] = 1U << WAKE_SGI;
	gicc[GICC_PMR / 4] = 0xff; /* every priority passes */
	gicc[GICC_CTLR / 4] = 1;   /* EnableGrp1, the Non-secure view */
	return gicd[GICD_ITARGETSR0 / 4] & 0xffU; /* banked: this CPU's own interface */
}

/* Before CPU_OFF: nothing of ours may keep the firmware's WFI pen awake. */
static void gic_cpu_off(void)
{
	gicc[GICC_CTLR / 4] = 0;
}

/* Wait for the next wake-up: a WAKE_SGI (acknowledged here) or, without a GIC, an event. */
static void wait_wakeup(void)
{
	if (gic_ok) {
		__asm__ volatile("wfi" ::: "memory"); /* IRQs are masked: a pending one still ends WFI */
		gic_ack();
	} else {
		wfe();
	}
}

/* Wake the CPUs in mask (GIC interface bits), after the caller's DSB + SEV. */
static void wake(uint32_t mask)
{
	if (gic_ok && mask)
		gicd[GICD_SGIR / 4] = (mask << 16) | WAKE_SGI;
}

static void gic_setup(uint32_t dtb)
{
	uint32_t dist, cpu;

	if (!fdt_find_gic(dtb, &dist, &cpu)) {
		pr("psci-test: no GIC in the device tree at 0x%08lx: waiting CPUs spin in WFE\n", (unsigned long)dtb);
		return;
	}
	gicd = (volatile uint32_t *)(uintptr_t)dist;
	gicc = (volatile uint32_t *)(uintptr_t)cpu;
	gicd[GICD_CTLR / 4] = 1; /* EnableGrp1, the Non-secure view */
	gic_cpu_on();
	gicd[GICD_SGIR / 4] = GICD_SGIR_SELF | WAKE_SGI;
	dsb(); /* the SGI request is complete before we look for it */
	uint64_t t0 = now();
	while (!gic_ok && now() - t0 < ms_ticks(10)) {
		uint32_t iar = gicc[GICC_IAR / 4];
		if ((iar & 0x3ffU) < GIC_SPURIOUS)
			gicc[GICC_EOIR / 4] = iar;
		gic_ok = (iar & 0x3ffU) == WAKE_SGI;
	}
	if (!gic_ok)
		gicc[GICC_CTLR / 4] = 0;
	pr("psci-test: GIC at 0x%08lx/0x%08lx: %s\n", (unsigned long)dist, (unsigned long)cpu,
	   gic_ok ? "waiting racers sleep in WFI, woken by SGI 1" : "SGI 1 did not arrive, waiting CPUs spin in WFE");
}

/* ---- the secondaries ------------------------------------------------------------------ */

static void racer(unsigned idx, volatile struct cpu_status *st, uint32_t my_ctx, uint32_t seen)
{
	for (;;) {
		uint32_t go;
		while ((go = race.go) == seen && cmd[idx].off_token != my_ctx)
			wait_wakeup();
		if (cmd[idx].off_token == my_ctx)
			return;
		dmb(); /* the round number before the target it publishes */
		seen = go;
		uint32_t target = race.target;
		int32_t r = psci_call(PSCI_CPU_ON, target, ENTRY, CTX(ROLE_TARGET, go, idx, target));
		st->race_ret = r;
		dmb(); /* the result before the round number that publishes it */
		st->race_go = go;
		dsb(); /* the answer is visible before the event that wakes the target from WFE */
		sev();
	}
}

/*
 * A race round's target: stay on until every caller of the round has answered, so that no
 * caller can find it OFF again and win a second time; then go off without waiting for the boot
 * CPU (one handoff less per round). The off token is the boot CPU's fallback when a caller
 * never answers.
 */
static void target_wait(unsigned idx, uint32_t my_ctx)
{
	uint32_t go = race.go, callers = race.callers;

	dmb(); /* the round and its callers before their answers */
	for (;;) {
		bool all = true;
		for (unsigned i = 0; i < PT_MAX_CPUS; i++)
			if ((callers & (1U << i)) && status[i].race_go != go)
				all = false;
		if (all || cmd[idx].off_token == my_ctx)
			return;
		wfe();
	}
}

void secondary_main(uint32_t context_id, uint32_t cpsr, uint32_t sctlr)
{
	unsigned idx = my_index(); /* start.S parks a CPU without a stack slot */
	volatile struct cpu_status *st = &status[idx];
	uint32_t go_seen = race.go;

	dmb(); /* go_seen is read before we announce ourselves: the boot CPU moves go only after that */
	st->context_id = context_id;
	st->cpsr = cpsr;
	st->sctlr = sctlr;
	st->mpidr = read_mpidr();
	/* Only racers sleep between rounds (and acknowledge what wakes them): the boot CPU wakes them. */
	st->gic_mask = gic_ok && CTX_ROLE(context_id) == ROLE_RACER ? gic_cpu_on() : 0U;
	dmb(); /* the entry record before the count that publishes it */
	st->entries = st->entries + 1U;

	if (CTX_ROLE(context_id) == ROLE_RACER)
		racer(idx, st, context_id, go_seen);
	else if (CTX_ROLE(context_id) == ROLE_TARGET)
		target_wait(idx, context_id);
	else
		while (cmd[idx].off_token != context_id)
			wfe();
	if (st->gic_mask)
		gic_cpu_off();
	dsb(); /* our last result is complete before this CPU powers down */
	int32_t r = psci_call(PSCI_CPU_OFF, 0, 0, 0);
	st->off_ret = r; /* CPU_OFF returns only when it failed */
	dmb(); /* the result before the count that publishes it */
	st->off_returns = st->off_returns + 1U;
	for (;;)
		wfi();
}

/* ---- exceptions: a failure on the boot CPU ends the run, a secondary records it and stops -- */

static void finish(void) __attribute__((noreturn));

void psci_test_exception(uint32_t vector, uint32_t lr, uint32_t spsr)
{
	uint32_t pc = lr - (vector == 4 ? 8U : 4U), addr = 0;
	unsigned idx = my_index();

	if (vector == 4)
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(addr)); /* DFAR */
	else if (vector == 3)
		__asm__ volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(addr)); /* IFAR */
	if (idx != boot_idx) {
		volatile struct cpu_status *st = &status[idx];
		st->fault_vector = vector;
		st->fault_pc = pc;
		st->fault_cpsr = spsr;
		st->fault_addr = addr;
		dmb(); /* the record before the count that publishes it */
		st->faults = st->faults + 1U;
		return; /* start.S parks this CPU */
	}
	begin();
	fail("%s at pc 0x%08lx, cpsr 0x%08lx, address 0x%08lx", exception_name(vector), (unsigned long)pc,
	     (unsigned long)spsr, (unsigned long)addr);
	end("exception on cpu%u", idx);
	finish();
}

/* ---- the checks ----------------------------------------------------------------------- */

/*
 * Asynchronous aborts and IRQs masked at entry. FIQs too (Linux's boot protocol, TF-A's PSCI
 * entry), but that is its own check, "FIQs masked at entry", over every CPU's entry.
 */
#define ENTRY_MASKS (PT_PSR_A | PT_PSR_I)
static uint32_t f_clear;                 /* bit i: cpu i entered with CPSR.F clear */
static uint32_t f_clear_cpsr[PT_MAX_CPUS]; /* the CPSR it entered with */

static void note_fiq(unsigned i, uint32_t cpsr)
{
	if (!(cpsr & PT_PSR_F) && i < PT_MAX_CPUS) {
		f_clear |= 1U << i;
		f_clear_cpsr[i] = cpsr;
	}
}

static void check_fiq_masked(void)
{
	char list[64];
	struct out o = {list, 0, sizeof(list)};

	begin();
	list[0] = '\0';
	for (unsigned i = 0; i < PT_MAX_CPUS; i++)
		if (f_clear & (1U << i)) {
			if (o.len)
				out_c(&o, ',');
			out_c(&o, (char)('0' + i));
		}
	if (f_clear)
		fail("CPSR.F clear at entry on cpu %s (cpsr 0x%08lx on cpu%u)", list,
		     (unsigned long)f_clear_cpsr[__builtin_ctz(f_clear)], (unsigned)__builtin_ctz(f_clear));
	end("FIQs masked at entry");
}

static void check_boot_entry(uint32_t cpsr, uint32_t sctlr, uint32_t r0)
{
	begin();
	if (r0 != 0)
		fail("r0 = 0x%08lx, expected 0", (unsigned long)r0);
	if ((cpsr & PT_MODE_MASK) != PT_MODE_SVC && (cpsr & PT_MODE_MASK) != PT_MODE_HYP)
		fail("mode 0x%02lx, expected SVC or HYP", (unsigned long)(cpsr & PT_MODE_MASK));
	if ((cpsr & ENTRY_MASKS) != ENTRY_MASKS)
		fail("cpsr 0x%08lx: A/I not both masked", (unsigned long)cpsr);
	note_fiq(boot_idx, cpsr);
	if (sctlr & 5U)
		fail("sctlr 0x%08lx: MMU or data cache on", (unsigned long)sctlr);
	end("boot entry");
}

static void check_cntfrq(void)
{
	uint32_t f = read_cntfrq();

	begin();
	if (f == 0)
		fail("CNTFRQ is 0 (firmware must set it); timing with the board's %lu Hz",
		     (unsigned long)PLAT_COUNTER_HZ);
	ticks_per_s = f ? f : PLAT_COUNTER_HZ;
	end("CNTFRQ %lu Hz", (unsigned long)f);
}

static uint32_t check_version(void)
{
	int32_t v = psci_call(PSCI_VERSION, 0, 0, 0);
	uint32_t u = (uint32_t)v;

	pr("psci-test: PSCI_VERSION returned 0x%08lx (%lu.%lu)\n", (unsigned long)u, (unsigned long)(u >> 16),
	   (unsigned long)(u & 0xffffU));
	begin();
	if (REFERENCE) {
		if (v < 0x00000002)
			fail("0x%08lx, expected 0.2 or later", (unsigned long)u);
	} else if (u != 0x00010000U) {
		fail("0x%08lx, expected 0x00010000 (1.0)", (unsigned long)u);
	}
	end("PSCI_VERSION");
	return v < 0 ? 0 : u;
}

static void check_preserved(void)
{
	uint32_t changed = psci_preserve_probe(PSCI_VERSION, 0, 0, 0);

	begin();
	for (unsigned r = 4; r <= 14; r++)
		if (changed & (1U << r))
			fail("r%u changed", r);
	end("SMCCC: r4-r14 preserved across a call");
}

static void check_features(uint32_t version)
{
	static const struct {
		const char *name;
		uint32_t fid;
	} mandatory[] = {
		{"PSCI_VERSION", PSCI_VERSION},   {"CPU_ON", PSCI_CPU_ON},
		{"CPU_OFF", PSCI_CPU_OFF},        {"AFFINITY_INFO", PSCI_AFFINITY_INFO},
		{"SYSTEM_OFF", PSCI_SYSTEM_OFF},  {"SYSTEM_RESET", PSCI_SYSTEM_RESET},
		{"MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE}, {"PSCI_FEATURES", PSCI_FEATURES},
	};
	static const struct {
		const char *name;
		uint32_t fid;
	} absent[] = {{"unknown 0x8400001f", 0x8400001fU}, {"SMC64 CPU_ON 0xc4000003", PSCI_CPU_ON_64}};

	if (version < 0x00010000U) { /* PSCI_FEATURES is mandatory from 1.0 on, absent before */
		pr("psci-test: PSCI_FEATURES: skipped: PSCI %lu.%lu predates it\n", (unsigned long)(version >> 16),
		   (unsigned long)(version & 0xffffU));
		return;
	}
	for (size_t i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		int32_t r = psci_call(PSCI_FEATURES, mandatory[i].fid, 0, 0);
		begin();
		if (r < 0)
			fail("returned %ld (%s), expected SUCCESS or feature flags (>= 0)", (long)r, ret_name(r));
		end("PSCI_FEATURES(%s)", mandatory[i].name);
	}
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		begin();
		expect(psci_call(PSCI_FEATURES, absent[i].fid, 0, 0), PSCI_NOT_SUPPORTED, "PSCI_FEATURES");
		end("PSCI_FEATURES(%s)", absent[i].name);
	}
}

static void check_unknown(void)
{
	static const uint32_t fids[] = {0x8400001fU, 0x82000000U};

	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		begin();
		expect(psci_call(fids[i], 0, 0, 0), PSCI_NOT_SUPPORTED, "the call");
		end("unknown function 0x%08lx", (unsigned long)fids[i]);
	}
}

static void check_migrate_info(void)
{
	int32_t r = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);

	begin();
	if (REFERENCE && r == PSCI_NOT_SUPPORTED) /* optional in PSCI 0.2 and 1.0 */
		pr("psci-test: MIGRATE_INFO_TYPE: NOT_SUPPORTED (optional, allowed by the spec)\n");
	else
		expect(r, TOS_NOT_PRESENT, "MIGRATE_INFO_TYPE");
	end("MIGRATE_INFO_TYPE");
}

/* AFFINITY_INFO over Aff0 = 0, 1, ... until INVALID_PARAMETERS: the CPU count. */
static void check_cpu_count(void)
{
	unsigned n = 0;

	begin();
	for (; n < 256U; n++) {
		int32_t a = affinity(n);
		if (a == PSCI_INVALID_PARAMETERS)
			break;
		int32_t want = n == boot_idx ? AFF_ON : AFF_OFF;
		if (a != want)
			fail("AFFINITY_INFO(cpu%u) returned %ld (%s), expected %s", n, (long)a, aff_name(a),
			     aff_name(want));
	}
	if (n == 256U)
		fail("AFFINITY_INFO never returned INVALID_PARAMETERS for Aff0 0-255");
	if (n > PT_MAX_CPUS || n == 0)
		fail("%u CPUs, this board has 1 to %u", n, (unsigned)PT_MAX_CPUS);
	n_cpus = n > PT_MAX_CPUS ? PT_MAX_CPUS : n;
	pr("psci-test: cpus %u\n", n);
	end("AFFINITY_INFO: CPU count and states");
}

static void check_on_self(void)
{
	begin();
	expect(psci_call(PSCI_CPU_ON, target_of(boot_idx), ENTRY, CTX(ROLE_ONOFF, seq++, boot_idx, boot_idx)),
	       PSCI_ALREADY_ON, "CPU_ON of the caller");
	end("CPU_ON self");
}

static void check_on_invalid(void)
{
	begin();
	expect(cpu_on(0xffffffffU, ENTRY, CTX(ROLE_ONOFF, seq++, boot_idx, 0xf)), PSCI_INVALID_PARAMETERS,
	       "CPU_ON(0xffffffff)");
	end("CPU_ON target 0xffffffff");
	begin();
	expect(cpu_on(target_of(n_cpus), ENTRY, CTX(ROLE_ONOFF, seq++, boot_idx, n_cpus)), PSCI_INVALID_PARAMETERS,
	       "CPU_ON");
	end("CPU_ON absent cpu%u (0x%08lx)", n_cpus, (unsigned long)target_of(n_cpus));
}

static void check_on_bad_entry(void)
{
	static const struct {
		uint32_t addr;
		const char *what;
	} bad[] = {
		{MUSTER_FLASH_BASE, "the Secure flash"},
		{MUSTER_RAM_BASE, "the firmware's RAM"},
		{MUSTER_RAM_BASE + MUSTER_RAM_SIZE - 4U, "the firmware's RAM, last word"},
		{NO_RAM_ADDR, "no RAM"},
	};

	if (REFERENCE) {
		pr("psci-test: CPU_ON bad entry: skipped: QEMU's built-in PSCI does not validate entry points\n");
		return;
	}
	if (n_cpus < 2) {
		pr("psci-test: CPU_ON bad entry: skipped: no secondary to aim at\n");
		return;
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin();
		expect(cpu_on(target_of(1), bad[i].addr, CTX(ROLE_ONOFF, seq++, boot_idx, 1)), PSCI_INVALID_ADDRESS,
		       "CPU_ON");
		int32_t a = affinity(1);
		if (a != AFF_OFF)
			fail("cpu1 is %s afterwards, expected OFF", aff_name(a));
		end("CPU_ON entry 0x%08lx (%s)", (unsigned long)bad[i].addr, bad[i].what);
	}
}

/* The entry state a started CPU reported, against what PSCI promises. */
static void check_entry_state(unsigned t, uint32_t ctx)
{
	const volatile struct cpu_status *st = &status[t];
	uint32_t mode = st->cpsr & PT_MODE_MASK;

	if (st->context_id != ctx)
		fail("entered with r0 0x%08lx, expected context_id 0x%08lx", (unsigned long)st->context_id,
		     (unsigned long)ctx);
	if (mode != entry_mode_expected())
		fail("entered in %s mode (cpsr 0x%08lx), expected %s: the highest Non-secure mode", mode_name(mode),
		     (unsigned long)st->cpsr, mode_name(entry_mode_expected()));
	else if (mode != boot_mode) /* Linux requires all CPUs to enter in the same mode */
		fail("entered in %s mode, the boot CPU in %s", mode_name(mode), mode_name(boot_mode));
	if ((st->cpsr & ENTRY_MASKS) != ENTRY_MASKS)
		fail("cpsr 0x%08lx: A/I not both masked", (unsigned long)st->cpsr);
	note_fiq(t, st->cpsr);
	if (st->cpsr & ((1U << 5) | (1U << 9))) /* T, E: an ARM entry point, little-endian */
		fail("cpsr 0x%08lx: Thumb or big-endian", (unsigned long)st->cpsr);
	if (st->sctlr & 5U)
		fail("sctlr 0x%08lx: MMU or data cache on", (unsigned long)st->sctlr);
	if ((st->mpidr & 0x00ffffffU) != target_of(t))
		fail("mpidr 0x%08lx, expected Aff 0x%06lx", (unsigned long)st->mpidr, (unsigned long)target_of(t));
}

/* Check 9: CPU_ON, the target's entry state, AFFINITY_INFO OFF -> ON -> OFF, CPU_OFF in time. */
static void check_on_off(unsigned t)
{
	uint32_t worst_on = 0, worst_off = 0;
	bool saw_pending = false, saw_off = false;

	begin();
	for (unsigned cycle = 0; cycle < ONOFF_CYCLES && !failing(); cycle++) {
		int32_t a = affinity(t);
		if (a != AFF_OFF) {
			fail("cycle %u: AFFINITY_INFO before CPU_ON returned %s, expected OFF", cycle, aff_name(a));
			break;
		}
		uint32_t e0 = status[t].entries, ctx = CTX(ROLE_ONOFF, seq++, boot_idx, t);
		uint64_t t0 = now(), took;
		if (!expect(cpu_on(target_of(t), ENTRY, ctx), PSCI_SUCCESS, "CPU_ON"))
			break;
		/* Until it runs, the target is ON_PENDING or ON, never OFF. */
		bool arrived;
		while (!(arrived = (status[t].entries != e0))) {
			a = affinity(t);
			if (a == AFF_ON_PENDING)
				saw_pending = true;
			else if (a == AFF_OFF && REFERENCE)
				saw_off = true;
			else if (a != AFF_ON && !failing())
				fail("cycle %u: AFFINITY_INFO after a successful CPU_ON returned %s", cycle, aff_name(a));
			if (now() - t0 > ms_ticks(TIMEOUT_MS) || status[t].faults)
				break;
		}
		if (!arrived) {
			fail("cycle %u: no entry within %u ms (AFFINITY_INFO %s)", cycle, TIMEOUT_MS,
			     aff_name(affinity(t)));
			note_cpu(t);
			break;
		}
		dmb(); /* the entry count before the record it publishes */
		took = now() - t0;
		worst_on = ticks_us(took) > worst_on ? ticks_us(took) : worst_on;
		check_entry_state(t, ctx);
		if ((a = affinity(t)) != AFF_ON)
			fail("cycle %u: AFFINITY_INFO of the running CPU returned %s, expected ON", cycle, aff_name(a));
		release_off(t, status[t].context_id);
		if (!wait_off(t, TIMEOUT_MS, &took, &a)) {
			fail("cycle %u: not OFF %lu ms after it was told to call CPU_OFF (AFFINITY_INFO %s)", cycle,
			     (unsigned long)(ticks_us(took) / 1000U), aff_name(a));
			note_cpu(t);
			break;
		}
		worst_off = ticks_us(took) > worst_off ? ticks_us(took) : worst_off;
		if (status[t].entries != e0 + 1U)
			fail("cycle %u: entered %lu times for one CPU_ON", cycle, (unsigned long)(status[t].entries - e0));
	}
	pr("psci-test: cpu%u: entered in %s mode, on within %lu us, off within %lu us%s\n", t,
	   mode_name(status[t].cpsr), (unsigned long)worst_on, (unsigned long)worst_off,
	   saw_pending ? ", ON_PENDING seen" : "");
	if (saw_off) /* only in the reference run: see REFERENCE_NOTE */
		pr("psci-test: cpu%u: AFFINITY_INFO said OFF after a successful CPU_ON: not counted against QEMU's "
		   "PSCI (%s)\n",
		   t, REFERENCE_NOTE);
	end("CPU_ON/CPU_OFF cpu%u", t);
}

/* Start CPU i as a racer: it then answers every race round until told to go off. */
static bool start_racer(unsigned i)
{
	uint32_t e0 = status[i].entries;
	uint64_t took;

	if (!expect(cpu_on(target_of(i), ENTRY, CTX(ROLE_RACER, seq++, boot_idx, i)), PSCI_SUCCESS,
		    "CPU_ON of a racer"))
		return false;
	if (!wait_entry(i, e0, RACE_TIMEOUT_MS, &took)) {
		fail("racer cpu%u: no entry within %u ms", i, RACE_TIMEOUT_MS);
		note_cpu(i);
		return false;
	}
	racer_up[i] = true;
	return true;
}

static bool stop_racer(unsigned i)
{
	uint64_t took;
	int32_t a;

	racer_up[i] = false;
	release_off(i, status[i].context_id);
	if (wait_off(i, RACE_TIMEOUT_MS, &took, &a))
		return true;
	fail("racer cpu%u: not OFF within %u ms (AFFINITY_INFO %s)", i, RACE_TIMEOUT_MS, aff_name(a));
	note_cpu(i);
	return false;
}

/*
 * Check 10: every online CPU calls CPU_ON(t) at once. Exactly one may win; the others see
 * ALREADY_ON or ON_PENDING. t stays on until every racer has answered, so a slow racer cannot
 * legitimately win a second time after t went off; then it goes off before the next round.
 * Rounds go on after a failed one while t is back OFF, so the line shows how often it fails.
 */
static void check_race(unsigned t)
{
	unsigned rounds = 0, single = 0, several = 0, n_ok = 0, n_already = 0, n_pending = 0;
	uint32_t slowest = 0, nracers = 0;

	begin();
	if (racer_up[t])
		stop_racer(t);
	for (unsigned i = 0; i < n_cpus; i++)
		if (i != boot_idx && i != t && !racer_up[i])
			start_racer(i);
	uint32_t callers = 1U << boot_idx, wake_racers = 0;
	for (unsigned i = 0; i < n_cpus; i++)
		if (racer_up[i]) {
			nracers++;
			callers |= 1U << i;
			wake_racers |= status[i].gic_mask;
		}
	race.target = target_of(t);
	race.callers = callers;
	dmb(); /* the target and callers before any round number that publishes them */
	for (; rounds < RACE_ROUNDS; rounds++) {
		int32_t a = affinity(t);
		if (a != AFF_OFF) {
			fail("round %u: cpu%u is %s before the round, expected OFF", rounds, t, aff_name(a));
			break;
		}
		uint32_t e0 = status[t].entries, go = seq++;
		uint64_t t0 = now(), took;
		int32_t res[PT_MAX_CPUS];

		race.go = go;
		dsb(); /* the round number is visible before the event or SGI that wakes the racers */
		sev();
		wake(wake_racers);
		res[boot_idx] = psci_call(PSCI_CPU_ON, target_of(t), ENTRY, CTX(ROLE_TARGET, go, boot_idx, t));
		status[boot_idx].race_ret = res[boot_idx];
		dmb(); /* our answer before the round number that publishes it to the target */
		status[boot_idx].race_go = go;
		dsb(); /* the answer is visible before the event that wakes the target from WFE */
		sev();
		unsigned winners = 0, winner = 0;
		uint32_t ctx_ok = 0; /* bit i: cpu i won, so t may carry its context_id */
		for (unsigned i = 0; i < n_cpus; i++) {
			if (i != boot_idx && !racer_up[i])
				continue;
			if (i != boot_idx) {
				while (status[i].race_go != go && now() - t0 <= ms_ticks(RACE_TIMEOUT_MS) &&
				       !status[i].faults)
					cpu_relax();
				if (status[i].race_go != go) {
					fail("round %u: racer cpu%u did not answer within %u ms", rounds, i, RACE_TIMEOUT_MS);
					note_cpu(i);
					continue;
				}
				dmb(); /* the round number before the result it publishes */
				res[i] = status[i].race_ret;
			}
			if (res[i] == PSCI_SUCCESS) {
				winners++;
				winner = i;
				ctx_ok |= 1U << i;
				n_ok++;
			} else if (res[i] == PSCI_ALREADY_ON) {
				n_already++;
			} else if (res[i] == PSCI_ON_PENDING) {
				n_pending++;
			} else {
				fail("round %u: cpu%u's CPU_ON returned %ld (%s)", rounds, i, (long)res[i], ret_name(res[i]));
			}
		}
		if (winners == 1)
			single++;
		else if (winners > 1)
			several++;
		if (winners == 0) {
			fail("round %u: no caller got SUCCESS", rounds);
			rounds++;
			break;
		}
		if (winners > 1 && !REFERENCE)
			fail("round %u: %u callers got SUCCESS", rounds, winners);
		if (!wait_entry(t, e0, RACE_TIMEOUT_MS, &took)) {
			fail("round %u: cpu%u did not enter within %u ms", rounds, t, RACE_TIMEOUT_MS);
			note_cpu(t);
			rounds++;
			break;
		}
		uint32_t ctx = status[t].context_id, caller = (ctx >> 4) & 0xfU;
		if (winners == 1 && ctx != CTX(ROLE_TARGET, go, winner, t))
			fail("round %u: cpu%u entered with context_id 0x%08lx, the winner cpu%u's is 0x%08lx", rounds, t,
			     (unsigned long)ctx, winner, (unsigned long)CTX(ROLE_TARGET, go, winner, t));
		else if (winners > 1 && (ctx != CTX(ROLE_TARGET, go, caller, t) || !(ctx_ok & (1U << caller))))
			fail("round %u: cpu%u entered with context_id 0x%08lx, no winner's", rounds, t,
			     (unsigned long)ctx);
		release_off(t, ctx);
		if (!wait_off(t, RACE_TIMEOUT_MS, &took, &a)) {
			fail("round %u: cpu%u not OFF %lu ms after it was told to call CPU_OFF (AFFINITY_INFO %s)",
			     rounds, t, (unsigned long)(ticks_us(took) / 1000U), aff_name(a));
			note_cpu(t);
			rounds++;
			break;
		}
		if (status[t].entries != e0 + 1U)
			fail("round %u: cpu%u entered %lu times", rounds, t, (unsigned long)(status[t].entries - e0));
		uint32_t us = ticks_us(now() - t0);
		slowest = us > slowest ? us : slowest;
	}
	pr("psci-test: race cpu%u: %lu callers, CPU_ON results: %u SUCCESS, %u ALREADY_ON, %u ON_PENDING; slowest "
	   "round %lu us\n",
	   t, (unsigned long)nracers + 1U, n_ok, n_already, n_pending, (unsigned long)slowest);
	if (REFERENCE && several) /* QEMU 7.2's PSCI has no ON_PENDING state: see REFERENCE_NOTE */
		pr("psci-test: race cpu%u: %u rounds with several winners: not counted against QEMU's PSCI (%s)\n", t,
		   several, REFERENCE_NOTE);
	end("race cpu%u: %u rounds, %u single winners", t, rounds, single);
}

static void check_all_off(void)
{
	begin();
	for (unsigned i = 0; i < n_cpus; i++)
		if (racer_up[i])
			stop_racer(i);
	for (unsigned i = 0; i < n_cpus; i++) {
		int32_t a = affinity(i), want = i == boot_idx ? AFF_ON : AFF_OFF;
		if (a != want)
			fail("cpu%u is %s, expected %s", i, aff_name(a), aff_name(want));
	}
	end("all secondaries OFF");
	begin();
	for (unsigned i = 0; i < n_cpus; i++)
		if (status[i].faults || status[i].off_returns)
			note_cpu(i);
	end("no exceptions or failed CPU_OFF on secondaries");
}

static void finish(void)
{
	pr("psci-test: done: %u checks, %u failed\n", n_checks, n_failed);
	int32_t r = psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	pr("psci-test: SYSTEM_OFF returned %ld (%s)\n", (long)r, ret_name(r));
	for (;;)
		wfi();
}

void boot_main(uint32_t cpsr, uint32_t sctlr, uint32_t r0, uint32_t dtb)
{
	boot_mpidr = read_mpidr();
	boot_idx = boot_mpidr & 0xffU;
	boot_mode = cpsr & PT_MODE_MASK;
	pr("psci-test: PSCI conformance test over %s on mpidr 0x%08lx: entered in %s mode, cpsr 0x%08lx, "
	   "device tree at 0x%08lx\n",
	   CONDUIT, (unsigned long)boot_mpidr, mode_name(cpsr), (unsigned long)cpsr, (unsigned long)dtb);
	check_boot_entry(cpsr, sctlr, r0);
	check_cntfrq();
	gic_setup(dtb);
	uint32_t version = check_version();
	check_preserved();
	check_features(version);
	check_unknown();
	check_migrate_info();
	check_cpu_count();
	check_on_self();
	check_on_invalid();
	check_on_bad_entry();
	for (unsigned t = 0; t < n_cpus; t++)
		if (t != boot_idx)
			check_on_off(t);
	check_fiq_masked();
	for (unsigned t = 0; t < n_cpus; t++)
		if (t != boot_idx)
			check_race(t);
	check_all_off();
	finish();
}

#endif /* PLAT_HAS_PSCI */
