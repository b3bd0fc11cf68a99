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
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
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

/*
 * The calls that succeeded, as muster's summary at SYSTEM_OFF counts them (docs/psci.md): each
 * CPU counts its own, the boot CPU adds them up once every secondary is off.
 */
struct cpu_calls {
	uint32_t on_ok; /* CPU_ON calls this CPU made that returned SUCCESS */
	uint32_t off;   /* CPU_OFF calls this CPU made (it does not come back from them) */
} __attribute__((aligned(64)));
static volatile struct cpu_calls calls[PT_MAX_CPUS];

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
	int32_t r = psci_call(PSCI_CPU_ON, target, entry, ctx);

	if (r == PSCI_SUCCESS)
		calls[my_index()].on_ok++;
	return r;
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

/* A walk over a flattened device tree's structure block, every step bounded by its header. */
struct fdt_walk {
	const volatile uint8_t *f, *p, *end;
	uint32_t total, strings;
	unsigned depth; /* 1 inside the root node */
};

#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U

static bool fdt_walk_start(struct fdt_walk *w, uint32_t dtb)
{
	const volatile uint8_t *f = (const volatile uint8_t *)(uintptr_t)dtb;

	if (!dtb || dtb % 4U || be32(f) != 0xd00dfeedU)
		return false;
	uint32_t total = be32(f + 4), off = be32(f + 8), strings = be32(f + 12), size = be32(f + 36);
	if (total > 0x100000U || off % 4U || off > total || size > total - off || strings > total)
		return false;
	*w = (struct fdt_walk){f, f + off, f + off + size, total, strings, 0};
	return true;
}

/*
 * The next node start (*name = its name), node end, or property (*name, *value, *len), NOPs
 * skipped; 0 at the end of the tree or where it is malformed.
 */
static uint32_t fdt_walk_next(struct fdt_walk *w, const volatile uint8_t **name,
			      const volatile uint8_t **value, uint32_t *len)
{
	while (w->p + 4 <= w->end) {
		uint32_t token = be32(w->p);
		w->p += 4;
		if (token == FDT_BEGIN_NODE) {
			*name = w->p;
			while (w->p < w->end && *w->p)
				w->p++;
			w->p = w->f + ((uint32_t)(w->p + 1 - w->f) + 3U) / 4U * 4U;
			w->depth++;
			return token;
		}
		if (token == FDT_END_NODE) {
			w->depth--;
			return token;
		}
		if (token == FDT_PROP) { /* len, name offset, value */
			if (w->p + 8 > w->end)
				return 0;
			uint32_t l = be32(w->p), n = be32(w->p + 4);
			w->p += 8;
			if (l > (uint32_t)(w->end - w->p) || n >= w->total - w->strings)
				return 0;
			*name = w->f + w->strings + n;
			*value = w->p;
			*len = l;
			w->p += (l + 3U) / 4U * 4U;
			return token;
		}
		if (token != FDT_NOP) /* END, or anything else, ends the walk */
			return 0;
	}
	return 0;
}

/*
 * The first node with an "interrupt-controller" property and a reg of two (address, size)
 * pairs, one cell each, as the per-board device trees in tests/psci/ give the GIC.
 */
static bool fdt_find_gic(uint32_t dtb, uint32_t *dist, uint32_t *cpu)
{
	struct fdt_walk w;
	const volatile uint8_t *name = NULL, *value = NULL, *reg = NULL;
	uint32_t len = 0, token;
	bool ic = false;

	if (!fdt_walk_start(&w, dtb))
		return false;
	while ((token = fdt_walk_next(&w, &name, &value, &len)) != 0) {
		if (token != FDT_PROP) { /* a node begins or ends: the node so far is complete */
			if (ic && reg) {
				*dist = be32(reg);
				*cpu = be32(reg + 8);
				return true;
			}
			ic = false;
			reg = NULL;
		} else if (str_eq(name, "interrupt-controller")) {
			ic = true;
		} else if (str_eq(name, "reg") && len >= 16U) {
			reg = value;
		}
	}
	return false;
}

/* /chosen/bootargs into buf (NUL-terminated, cut to fit); "" when there is none. */
static void fdt_bootargs(uint32_t dtb, char *buf, uint32_t size)
{
	struct fdt_walk w;
	const volatile uint8_t *name = NULL, *value = NULL;
	uint32_t len = 0, token;
	bool chosen = false;

	buf[0] = '\0';
	if (!fdt_walk_start(&w, dtb))
		return;
	while ((token = fdt_walk_next(&w, &name, &value, &len)) != 0) {
		if (token == FDT_BEGIN_NODE)
			chosen = w.depth == 2 && str_eq(name, "chosen");
		else if (token == FDT_END_NODE)
			chosen = false;
		else if (chosen && w.depth == 2 && str_eq(name, "bootargs")) {
			uint32_t n = 0;
			for (; n + 1U < size && n < len && value[n]; n++)
				buf[n] = (char)value[n];
			buf[n] = '\0';
			return;
		}
	}
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

/* 1 from before the fuzz's first call until every CPU it started is off again (boot CPU writes). */
static volatile uint32_t fuzzing;
static void fuzz_secondary(unsigned idx, uint32_t context_id);

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
		int32_t r = cpu_on(target, ENTRY, CTX(ROLE_TARGET, go, idx, target));
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
	/*
	 * Only racers sleep between rounds (and acknowledge what wakes them): the boot CPU wakes
	 * them. A CPU the fuzz started wakes itself from its standby CPU_SUSPENDs the same way.
	 */
	bool fuzz = fuzzing != 0;
	st->gic_mask = gic_ok && (fuzz || CTX_ROLE(context_id) == ROLE_RACER) ? gic_cpu_on() : 0U;
	dmb(); /* the entry record before the count that publishes it */
	st->entries = st->entries + 1U;

	if (fuzz) /* the fuzz's context_id is random: its role bits mean nothing */
		fuzz_secondary(idx, context_id);
	else if (CTX_ROLE(context_id) == ROLE_RACER)
		racer(idx, st, context_id, go_seen);
	else if (CTX_ROLE(context_id) == ROLE_TARGET)
		target_wait(idx, context_id);
	else
		while (cmd[idx].off_token != context_id)
			wfe();
	if (st->gic_mask)
		gic_cpu_off();
	calls[idx].off++;
	dsb(); /* our last result and count are complete before this CPU powers down */
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

#ifndef PSCI_TEST_HVC
/* A cell list value as a number of `cells` big-endian cells (1 or 2; the high one must be 0). */
static uint64_t fdt_cells(const volatile uint8_t *v, uint32_t cells)
{
	return cells == 2 ? ((uint64_t)be32(v) << 32) | be32(v + 4) : be32(v);
}

/*
 * The device tree muster handed over, as an OS that reads neither "status" nor /memreserve/ sees
 * it: exactly one CPU node per core there is (n_cpus, from AFFINITY_INFO), each "okay" since every
 * core came up, and no /memory range over muster's RAM.
 */
static void check_device_tree(uint32_t dtb)
{
	struct fdt_walk w;
	const volatile uint8_t *name = NULL, *value = NULL, *cpu_status = NULL;
	uint32_t len = 0, token, acells = 2, scells = 1, reg = 0, seen = 0;
	unsigned nodes = 0;
	bool in_cpus = false, in_cpu = false, in_mem = false, have_reg = false;
	const uint64_t mb = MUSTER_RAM_BASE, me = (uint64_t)MUSTER_RAM_BASE + MUSTER_RAM_SIZE;

	begin();
	if (!fdt_walk_start(&w, dtb)) {
		fail("no device tree at 0x%08lx", (unsigned long)dtb);
		end("device tree: a CPU node per core, none over muster's RAM");
		return;
	}
	while ((token = fdt_walk_next(&w, &name, &value, &len)) != 0) {
		if (token == FDT_BEGIN_NODE) {
			if (w.depth == 2) {
				in_cpus = str_eq(name, "cpus");
				in_mem = name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'o' &&
					 name[4] == 'r' && name[5] == 'y' && (name[6] == 0 || name[6] == '@');
			} else if (w.depth == 3 && in_cpus) {
				in_cpu = name[0] == 'c' && name[1] == 'p' && name[2] == 'u' && name[3] == '@';
				have_reg = false;
				cpu_status = NULL;
			}
		} else if (token == FDT_END_NODE) {
			if (w.depth == 2 && in_cpu) { /* the depth after leaving the cpu node */
				in_cpu = false;
				if (!have_reg)
					continue;
				unsigned idx = ((reg >> 8) & 0xffU) * PLAT_CORES_PER_CLUSTER + (reg & 0xffU);
				nodes++;
				if (idx >= n_cpus || (reg & 0xffU) >= PLAT_CORES_PER_CLUSTER)
					fail("a CPU node for reg 0x%lx, no core of the %u there are", (unsigned long)reg, n_cpus);
				else if (seen & (1U << idx))
					fail("two CPU nodes for reg 0x%lx", (unsigned long)reg);
				else
					seen |= 1U << idx;
				if (!cpu_status || !str_eq(cpu_status, "okay"))
					fail("CPU node reg 0x%lx: status not \"okay\" though the core came up", (unsigned long)reg);
			} else if (w.depth == 1) {
				in_cpus = in_mem = false;
			}
		} else if (w.depth == 1 && str_eq(name, "#address-cells") && len == 4) {
			acells = be32(value);
		} else if (w.depth == 1 && str_eq(name, "#size-cells") && len == 4) {
			scells = be32(value);
		} else if (in_cpu && w.depth == 3 && str_eq(name, "reg") && len >= 4) {
			reg = be32(value + len - 4);
			have_reg = true;
		} else if (in_cpu && w.depth == 3 && str_eq(name, "status")) {
			cpu_status = value;
		} else if (in_mem && w.depth == 2 && str_eq(name, "reg") && acells >= 1 && acells <= 2 && scells >= 1 &&
			   scells <= 2) {
			uint32_t step = 4U * (acells + scells);
			for (uint32_t off = 0; off + step <= len; off += step) {
				uint64_t base = fdt_cells(value + off, acells), size = fdt_cells(value + off + 4U * acells, scells);
				if (base < me && mb < base + size)
					fail("/memory range 0x%llx+0x%llx covers muster's RAM 0x%llx-0x%llx",
					     (unsigned long long)base, (unsigned long long)size, (unsigned long long)mb,
					     (unsigned long long)me);
			}
		}
	}
	if (nodes != n_cpus)
		fail("%u CPU nodes for the %u cores there are", nodes, n_cpus);
	end("device tree: a CPU node per core, none over muster's RAM");
}
#endif

static void check_on_self(void)
{
	begin();
	expect(cpu_on(target_of(boot_idx), ENTRY, CTX(ROLE_ONOFF, seq++, boot_idx, boot_idx)),
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
static void check_on_off(unsigned t, unsigned cycles)
{
	uint32_t worst_on = 0, worst_off = 0;
	bool saw_pending = false, saw_off = false;

	begin();
	for (unsigned cycle = 0; cycle < cycles && !failing(); cycle++) {
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
		a = affinity(t);
		if (a != AFF_ON)
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
		res[boot_idx] = cpu_on(target_of(t), ENTRY, CTX(ROLE_TARGET, go, boot_idx, t));
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

/* ---- the run's counts, against the firmware's summary ------------------------------------ */

/* Once every secondary is off: the calls that succeeded, as muster's SYSTEM_OFF line counts them. */
static void print_calls(void)
{
	uint32_t on = 0, off = 0;

	for (unsigned i = 0; i < PT_MAX_CPUS; i++) {
		on += calls[i].on_ok;
		off += calls[i].off;
	}
	pr("psci-test: calls that succeeded: %lu CPU_ON, %lu CPU_OFF\n", (unsigned long)on, (unsigned long)off);
}

/* ---- modes: /chosen/bootargs "psci-test=<mode>" ------------------------------------------ */

/*
 * conformance (no argument): the checks above. The others attack the firmware from here, the
 * Non-secure world, and then check that CPU_ON/CPU_OFF still work on every secondary and that
 * the firmware's own counts match ours:
 *   fill           every Non-secure RAM word but our own image gets a pattern;
 *   secure-access  Non-secure reads and writes of the firmware's Secure memory must abort here;
 *   fuzz           random SMCs with random arguments (psci-test.calls=, psci-test.seed=).
 * psci-test.cycles= sets the CPU_ON/CPU_OFF cycles per secondary that follow.
 */
enum mode { MODE_CONFORMANCE, MODE_FILL, MODE_SECURE_ACCESS, MODE_FUZZ };
static const char *const mode_names[] = {"conformance", "fill", "secure-access", "fuzz"};

#define FILL_CYCLES 20U          /* CPU_ON/CPU_OFF cycles per secondary after the fill */
#define FUZZ_CALLS 100000U       /* the boot CPU's calls */
#define FUZZ_SEED 0x6d757374U    /* xorshift32 state: any value but 0 */

static enum mode run_mode = MODE_CONFORMANCE;
static uint32_t opt_calls = FUZZ_CALLS, opt_seed = FUZZ_SEED, opt_cycles = 0;
static char bootargs[160];

static bool starts_with(const char *w, unsigned n, const char *prefix, const char **rest)
{
	unsigned i = 0;

	for (; prefix[i]; i++)
		if (i >= n || w[i] != prefix[i])
			return false;
	*rest = w + i;
	return true;
}

/* A decimal or 0x-hexadecimal number of exactly n characters. */
static bool number(const char *p, unsigned n, uint32_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, i = 0;

	if (n > 2 && p[0] == '0' && p[1] == 'x') {
		base = 16;
		i = 2;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 99U;
		if (d >= base)
			return false;
		v = v * base + d;
		if (v > 0xffffffffU)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Our words of the command line; others are the OS's business. A bad one is a failed check. */
static void parse_bootargs(void)
{
	begin();
	for (const char *p = bootargs; *p;) {
		while (*p == ' ')
			p++;
		const char *w = p, *v;
		while (*p && *p != ' ')
			p++;
		unsigned n = (unsigned)(p - w);
		bool ok = true;
		if (starts_with(w, n, "psci-test=", &v)) {
			unsigned vn = n - (unsigned)(v - w);
			ok = false;
			for (unsigned m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++) {
				const char *rest;
				if (starts_with(v, vn, mode_names[m], &rest) && rest == v + vn) {
					run_mode = (enum mode)m;
					ok = true;
				}
			}
		} else if (starts_with(w, n, "psci-test.calls=", &v)) {
			ok = number(v, n - (unsigned)(v - w), &opt_calls);
		} else if (starts_with(w, n, "psci-test.seed=", &v)) {
			ok = number(v, n - (unsigned)(v - w), &opt_seed) && opt_seed != 0;
		} else if (starts_with(w, n, "psci-test.cycles=", &v)) {
			ok = number(v, n - (unsigned)(v - w), &opt_cycles) && opt_cycles != 0;
		}
		if (!ok) {
			char word[48];
			unsigned i = 0;
			for (; i < n && i + 1U < sizeof(word); i++)
				word[i] = w[i];
			word[i] = '\0';
			fail("'%s' is not a psci-test argument we know", word);
		}
	}
	if (failing())
		end("bootargs");
}

/* ---- fill: the Non-secure world writes over all of its RAM -------------------------------- */

extern char payload_end[]; /* psci-test.ld.S: our image ends here (stacks included) */

/* Different at every word, so that nothing the fill leaves reads twice as the same value. */
static uint32_t fill_word(uint32_t addr)
{
	return addr ^ 0x5aa5c33cU;
}

/*
 * Left alone by the fill: our own image, and on a board whose TrustZone address-space controller
 * carves muster's window out of this RAM, that window (it is no Non-secure RAM: the writes abort).
 */
static bool ours(uint32_t addr)
{
	if (PLAT_HAS_TZASC && addr >= MUSTER_RAM_BASE && addr - MUSTER_RAM_BASE < MUSTER_RAM_SIZE)
		return true;
	return addr >= PLAT_LINUX_LOAD && addr < (uint32_t)(uintptr_t)payload_end;
}

/* Every word of the board's Non-secure RAM (PLAT_RAM_*) but our own image: the pattern. */
static void fill_ram(void)
{
	uint64_t t0 = now();
	uint32_t words = 0;

	for (uint32_t a = PLAT_RAM_BASE; a - PLAT_RAM_BASE < PLAT_RAM_SIZE; a += 4U) {
		if (ours(a))
			continue;
		*(volatile uint32_t *)(uintptr_t)a = fill_word(a);
		words++;
	}
	dsb(); /* the fill is complete before the first CPU_ON: whatever reads RAM from now on sees it */
	pr("psci-test: fill: %lu words of 0x%08lx-0x%08lx written (all of it but our own 0x%08lx-0x%08lx) in %lu ms\n",
	   (unsigned long)words, (unsigned long)PLAT_RAM_BASE, (unsigned long)(PLAT_RAM_BASE + PLAT_RAM_SIZE - 1U),
	   (unsigned long)PLAT_LINUX_LOAD, (unsigned long)((uint32_t)(uintptr_t)payload_end - 1U),
	   (unsigned long)(ticks_us(now() - t0) / 1000U));
}

/* Afterwards: the firmware wrote nothing into our RAM either. */
static void check_fill_intact(void)
{
	uint32_t changed = 0;

	begin();
	for (uint32_t a = PLAT_RAM_BASE; a - PLAT_RAM_BASE < PLAT_RAM_SIZE; a += 4U) {
		if (ours(a))
			continue;
		uint32_t v = *(volatile uint32_t *)(uintptr_t)a;
		if (v == fill_word(a))
			continue;
		if (changed++ < MAX_FAIL_NOTES)
			fail("0x%08lx holds 0x%08lx, the fill wrote 0x%08lx", (unsigned long)a, (unsigned long)v,
			     (unsigned long)fill_word(a));
	}
	end("Non-secure RAM still holds the fill (%lu words changed)", (unsigned long)changed);
}

/* ---- secure-access: the firmware's Secure memory, from the Non-secure world ---------------- */

#if PLAT_MUSTER_MEMORY_SECURE || PLAT_HAS_TZASC
/* start.S */
uint32_t probe_read(uint32_t addr, uint32_t *value);
uint32_t probe_write(uint32_t addr, uint32_t value);
extern volatile uint32_t probe_dfsr, probe_dfar;

/*
 * DFSR in the short-descriptor format (our TTBCR.EAE is 0): FS = DFSR[10]:DFSR[3:0], WnR = bit
 * 11. A TrustZone address-space controller refuses with an error response: an external abort,
 * synchronous (DFAR = the address) or, for a buffered write on many cores, asynchronous.
 */
#define DFSR_FS(d) ((((d) >> 6) & 0x10U) | ((d)&0xfU))
#define DFSR_WNR (1U << 11)
#define FS_SYNC_EXTERNAL 0x08U
#define FS_ASYNC_EXTERNAL 0x16U

struct probe_tally {
	uint32_t reads, writes, sync, async;
	uint32_t dfsr[2]; /* the first read's and the first write's DFSR */
};

/* One access that must abort, here, as an external abort of this very access. */
static void probe_one(uint32_t addr, bool write, uint32_t value, struct probe_tally *t)
{
	uint32_t got = 0, aborted = write ? probe_write(addr, value) : probe_read(addr, &got);
	uint32_t dfsr = probe_dfsr, fs = DFSR_FS(dfsr);

	if (write)
		t->writes++;
	else
		t->reads++;
	if (aborted && !t->dfsr[write])
		t->dfsr[write] = dfsr;
	if (!aborted)
		fail("%s 0x%08lx completed (read 0x%08lx): no abort", write ? "a write to" : "a read of",
		     (unsigned long)addr, (unsigned long)got);
	else if (fs == FS_SYNC_EXTERNAL && probe_dfar == addr && !(dfsr & DFSR_WNR) == !write)
		t->sync++;
	else if (fs == FS_ASYNC_EXTERNAL)
		t->async++;
	else
		fail("%s 0x%08lx: DFSR 0x%08lx, DFAR 0x%08lx: not an external abort of this access",
		     write ? "a write to" : "a read of", (unsigned long)addr, (unsigned long)dfsr,
		     (unsigned long)probe_dfar);
}

/*
 * Reads every read_step bytes and writes of `value` every write_step bytes over [base, base +
 * size): each must abort. A write that landed would be the attack: `value` is chosen to break
 * the firmware if it did.
 */
static void probe_region(const char *what, uint32_t base, uint32_t size, uint32_t read_step,
			 uint32_t write_step, uint32_t value)
{
	struct probe_tally t = {0, 0, 0, 0, {0, 0}};

	begin();
	for (uint32_t off = 0; off < size; off += read_step)
		probe_one(base + off, false, 0, &t);
	for (uint32_t off = 0; off < size; off += write_step)
		probe_one(base + off, true, value, &t);
	pr("psci-test: secure-access: %s 0x%08lx-0x%08lx: %lu reads, %lu writes of 0x%08lx: %lu synchronous "
	   "and %lu asynchronous external aborts (DFSR 0x%03lx read, 0x%03lx write)\n",
	   what, (unsigned long)base, (unsigned long)(base + size - 1U), (unsigned long)t.reads,
	   (unsigned long)t.writes, (unsigned long)value, (unsigned long)t.sync, (unsigned long)t.async,
	   (unsigned long)t.dfsr[0], (unsigned long)t.dfsr[1]);
	end("Non-secure reads and writes of %s abort in the payload", what);
}

/*
 * Run before any CPU_ON, while no other CPU of ours runs (the probes' condition). The values
 * written: 1 over every word of the firmware's RAM (a bakery lock's "choosing" flag stuck at 1
 * would hang every later CPU_ON; a mailbox, stack or state word at 1 is garbage), and the CFI
 * "read identifier" command over its flash (a NOR flash that took it would stop returning code).
 */
static void check_secure_access(void)
{
	probe_region("muster's RAM", MUSTER_RAM_BASE, MUSTER_RAM_SIZE, 64U, 4U, 0x00000001U);
#if PLAT_MUSTER_MEMORY_SECURE /* the Secure-only RAM around muster's, and the flash it runs from */
	if (MUSTER_RAM_BASE > PLAT_SECURE_RAM_BASE)
		probe_region("the Secure RAM below muster's", PLAT_SECURE_RAM_BASE, MUSTER_RAM_BASE - PLAT_SECURE_RAM_BASE,
			     0x1000U, 0x1000U, 0x00000001U);
	if (MUSTER_RAM_BASE + MUSTER_RAM_SIZE < PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE)
		probe_region("the rest of the Secure RAM", MUSTER_RAM_BASE + MUSTER_RAM_SIZE,
			     PLAT_SECURE_RAM_BASE + PLAT_SECURE_RAM_SIZE - MUSTER_RAM_BASE - MUSTER_RAM_SIZE, 0x1000U,
			     0x1000U, 0x00000001U);
	probe_region("muster's flash", MUSTER_FLASH_BASE, MUSTER_FLASH_SIZE, 256U, 256U, 0x00900090U);
#endif
}
#else
static void check_secure_access(void)
{
	pr("psci-test: secure-access: skipped: board.h says muster's memory is Non-secure on this board "
	   "(PLAT_MUSTER_MEMORY_SECURE, PLAT_HAS_TZASC)\n");
}
#endif

/* ---- fuzz: random SMCs; every argument from the Non-secure world is untrusted --------------- */

#define FUZZ_PER_ID 100U         /* first every known ID this often, with random arguments */
#define FUZZ_SECONDARY_CALLS 256U /* a CPU the fuzz started makes this many before its CPU_OFF */

/* SMC32 and SMC64 PSCI IDs, then the SMCCC architecture calls. */
static const uint32_t smccc_ids[] = {SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID,
				     SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3};
#define N_SMCCC (sizeof(smccc_ids) / sizeof(smccc_ids[0]))
#define N_KNOWN (2U * PSCI_ID_COUNT + N_SMCCC)

static uint32_t known_id(unsigned k)
{
	if (k < PSCI_ID_COUNT)
		return PSCI_VERSION + k;
	if (k < 2U * PSCI_ID_COUNT)
		return (PSCI_VERSION | PSCI_SMC64) + k - PSCI_ID_COUNT;
	return smccc_ids[k - 2U * PSCI_ID_COUNT];
}

static int known_index(uint32_t fid)
{
	for (unsigned k = 0; k < N_KNOWN; k++)
		if (known_id(k) == fid)
			return (int)k;
	return -1;
}

/* What the firmware answers, for comparison before and after the fuzz (all CPUs of ours off). */
struct monitor_view {
	int32_t version, smccc_version, migrate_type;
	int32_t features[N_KNOWN];       /* PSCI_FEATURES of every known ID */
	int32_t affinity[PT_MAX_CPUS + 1]; /* AFFINITY_INFO of Aff0 0..n_cpus (the last: no such CPU) */
};

/* The boot CPU's, before the fuzz: the CPUs it starts read it (written before their CPU_ON). */
static struct monitor_view view_before;

static void monitor_view(struct monitor_view *v)
{
	v->version = psci_call(PSCI_VERSION, 0, 0, 0);
	v->smccc_version = psci_call(SMCCC_VERSION, 0, 0, 0);
	v->migrate_type = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	for (unsigned k = 0; k < N_KNOWN; k++)
		v->features[k] = psci_call(PSCI_FEATURES, known_id(k), 0, 0);
	for (unsigned i = 0; i <= n_cpus; i++)
		v->affinity[i] = affinity(i);
}

/* How many answers differ, with a note for the first few. */
static unsigned monitor_changes(const struct monitor_view *a, const struct monitor_view *b)
{
	unsigned n = 0;

#define CHANGED(what, x, y)                                                                          \
	do {                                                                                         \
		if ((x) != (y) && n++ < MAX_FAIL_NOTES)                                              \
			fail("%s was %ld, is %ld", what, (long)(x), (long)(y));                      \
	} while (0)
	CHANGED("PSCI_VERSION", a->version, b->version);
	CHANGED("SMCCC_VERSION", a->smccc_version, b->smccc_version);
	CHANGED("MIGRATE_INFO_TYPE", a->migrate_type, b->migrate_type);
	for (unsigned k = 0; k < N_KNOWN; k++)
		CHANGED("a PSCI_FEATURES answer", a->features[k], b->features[k]);
	for (unsigned i = 0; i <= n_cpus; i++)
		CHANGED("an AFFINITY_INFO answer", a->affinity[i], b->affinity[i]);
#undef CHANGED
	return n;
}

/* Each CPU's own record (written by it alone, read by the boot CPU once it is off). */
struct fuzz_cpu {
	uint32_t calls;       /* calls made */
	uint32_t bad;         /* results the specification does not allow there */
	uint32_t regs;        /* calls after which r1-r3 were not 0 or r4-r14 had changed */
	uint32_t entries;     /* entries as a CPU the fuzz started */
	uint32_t ctx_sum;     /* the sum of the context_ids it entered with */
	uint32_t bad_call[5]; /* its first bad call: function ID, a1-a3, result */
	uint32_t regs_call[3]; /* its first register fault: function ID, changed mask, r1 */
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct fuzz_cpu) == 64, "one line per writer");
static volatile struct fuzz_cpu fuzz_cpu[PT_MAX_CPUS];

/* start.S */
uint32_t smc_checked(const uint32_t in[4], uint32_t out[4]);

static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s; /* xorshift32: never 0 from a state that is not 0 */

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * Mostly PSCI and SMCCC IDs (the first eleven PSCI IDs, PSCI 1.0's functions, most often), then
 * other services' fast calls, then any word at all.
 */
static uint32_t fuzz_fid(uint32_t *s)
{
	uint32_t k = rnd(s) & 15U;

	if (k < 4U)
		return PSCI_VERSION + (rnd(s) % (PSCI_FEATURES - PSCI_VERSION + 1U));
	if (k < 7U)
		return PSCI_VERSION + (rnd(s) % PSCI_ID_COUNT);
	if (k < 9U)
		return (PSCI_VERSION | PSCI_SMC64) + (rnd(s) % PSCI_ID_COUNT);
	if (k < 11U)
		return smccc_ids[rnd(s) % N_SMCCC];
	if (k < 13U)
		return 0x80000000U | (rnd(s) & 0x7f00ffffU); /* a fast call of any owner */
	return rnd(s);
}

/* Arguments from every class that matters to a check: small, targets, addresses, extremes, noise. */
static uint32_t fuzz_arg(uint32_t *s)
{
	switch (rnd(s) & 15U) {
	case 0:
		return rnd(s) & 0xfU; /* levels, indices, 0 */
	case 1:
	case 2:
		return (boot_mpidr & 0x00ffff00U) | (rnd(s) % (n_cpus + 1U)); /* a CPU, or one past them */
	case 3:
		return (boot_mpidr & 0x00ffff00U) | (rnd(s) & 0xffU); /* any Aff0 */
	case 4:
	case 5:
		return PLAT_RAM_BASE + rnd(s) % PLAT_RAM_SIZE; /* Non-secure RAM, any alignment */
	case 6:
		return (PLAT_RAM_BASE + rnd(s) % PLAT_RAM_SIZE) & ~3U; /* Non-secure RAM, a word */
	case 7:
		return MUSTER_RAM_BASE + rnd(s) % MUSTER_RAM_SIZE; /* the firmware's RAM */
	case 8:
		return MUSTER_FLASH_BASE + rnd(s) % MUSTER_FLASH_SIZE; /* the firmware's flash */
	case 9:
		return known_id(rnd(s) % N_KNOWN); /* for PSCI_FEATURES */
	case 10:
		return 0xffffffffU - (rnd(s) & 0xfU);
	case 11:
		return 0x80000000U | (rnd(s) & 0xffffffU); /* MPIDR-like: the M bit and affinity */
	default:
		return rnd(s);
	}
}

/* An entry point a firmware may start code at: A32 word-aligned or Thumb, in our RAM. */
static bool would_start(uint32_t entry)
{
	uint32_t a = entry & ~1U;

	if (!(entry & 1U) && (entry & 3U))
		return false;
	if (a < PLAT_RAM_BASE || a - PLAT_RAM_BASE >= PLAT_RAM_SIZE)
		return false;
	return a < MUSTER_RAM_BASE || a - MUSTER_RAM_BASE >= MUSTER_RAM_SIZE;
}

static bool valid_target(uint32_t t)
{
	return !(t & 0xff000000U) && (t & 0x00ffff00U) == (boot_mpidr & 0x00ffff00U) && (t & 0xffU) < n_cpus;
}

/*
 * Make c[] a call this CPU may make, or say it must not be made (false): SYSTEM_OFF and
 * SYSTEM_RESET end the run, CPU_OFF ends a secondary (on the boot CPU muster answers DENIED:
 * CPU0 keeps its power control, docs/psci.md), and the functions that suspend or reset the
 * system or resume the caller elsewhere would, where the firmware has them (its PSCI_FEATURES).
 * A call that would start code at an address we did not choose gets a changed entry point: a
 * boot CPU's CPU_ON our secondary entry, anyone else's (and a power-down CPU_SUSPEND's) an
 * address no firmware may start (misaligned A32). A standby CPU_SUSPEND waits for an interrupt:
 * without a GIC to raise one it becomes a power-down request.
 */
static bool fuzz_prepare(uint32_t c[4], bool boot)
{
	uint32_t fid = c[0];
	int k = known_index(fid);

	if (fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET || (fid == PSCI_CPU_OFF && !boot))
		return false;
	if ((fid & ~PSCI_SMC64) == PSCI_CPU_FREEZE || (fid & ~PSCI_SMC64) == PSCI_CPU_DEFAULT_SUSPEND ||
	    (fid & ~PSCI_SMC64) == PSCI_SYSTEM_SUSPEND || (fid & ~PSCI_SMC64) == PSCI_SYSTEM_RESET2)
		if (k >= 0 && view_before.features[k] != PSCI_NOT_SUPPORTED)
			return false;
	if (fid == PSCI_CPU_ON && would_start(c[2]))
		c[2] = boot ? ENTRY : (c[2] & ~3U) | 2U;
	if (fid == PSCI_CPU_SUSPEND) {
		if (!gic_ok)
			c[1] |= 1U << 16; /* StateType: power down */
		if ((c[1] & (1U << 16)) && would_start(c[2]))
			c[2] = (c[2] & ~3U) | 2U;
	}
	return true;
}

static bool one_of(int32_t r, const int32_t *set, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (r == set[i])
			return true;
	return false;
}
#define ONE_OF(r, ...) one_of((r), (const int32_t[]){__VA_ARGS__}, sizeof((const int32_t[]){__VA_ARGS__}) / 4U)

/*
 * Whether r is an answer PSCI 1.0 (Arm DEN0022) and SMCCC (DEN0028) allow for call c on CPU
 * `me`, in a run where other CPUs of ours may be turning on and off at any moment. Where the
 * firmware's answer is fixed (PSCI_VERSION, PSCI_FEATURES, MIGRATE_INFO_TYPE, an unknown
 * function), it must be the answer it gave before the fuzz.
 */
static bool fuzz_allowed(const uint32_t c[4], int32_t r, unsigned me)
{
	uint32_t fid = c[0];
	int k = known_index(fid);

	if (fid == SMCCC_VERSION)
		return r == view_before.smccc_version;
	if (k >= (int)(2U * PSCI_ID_COUNT)) /* the other SMCCC calls: none exist in SMCCC 1.0 */
		return view_before.smccc_version < 0x10001 ? r == PSCI_NOT_SUPPORTED : true;
	if (k < 0 || view_before.features[k] == PSCI_NOT_SUPPORTED)
		return r == PSCI_NOT_SUPPORTED; /* SMCCC: an unknown function ID gets -1 */
	switch (fid) {
	case PSCI_VERSION:
		return r == view_before.version;
	case PSCI_CPU_SUSPEND:
		if (c[1] & (1U << 16)) /* power down: we never gave an entry it may resume at */
			return ONE_OF(r, PSCI_INVALID_PARAMETERS, PSCI_INVALID_ADDRESS, PSCI_DENIED);
		return ONE_OF(r, PSCI_SUCCESS, PSCI_INVALID_PARAMETERS, PSCI_DENIED);
	case PSCI_CPU_OFF:
		return r == PSCI_DENIED; /* it returns only when it failed */
	case PSCI_CPU_ON: {
		bool entry_ok = would_start(c[2]);
		if (!valid_target(c[1]))
			return r == PSCI_INVALID_PARAMETERS || (!entry_ok && r == PSCI_INVALID_ADDRESS);
		if ((c[1] & 0xffU) == me || (c[1] & 0xffU) == boot_idx)
			return r == PSCI_ALREADY_ON || (!entry_ok && r == PSCI_INVALID_ADDRESS);
		if (!entry_ok)
			return ONE_OF(r, PSCI_INVALID_ADDRESS, PSCI_ALREADY_ON, PSCI_ON_PENDING);
		/* INTERNAL_FAILURE is allowed for a core that fails: every core here is healthy. */
		return ONE_OF(r, PSCI_SUCCESS, PSCI_ALREADY_ON, PSCI_ON_PENDING);
	}
	case PSCI_AFFINITY_INFO:
		if (c[2] > 3U || (c[1] & 0xff000000U))
			return r == PSCI_INVALID_PARAMETERS;
		if (c[2] != 0U) /* above level 0: optional */
			return ONE_OF(r, PSCI_INVALID_PARAMETERS, AFF_ON, AFF_OFF, AFF_ON_PENDING);
		if (!valid_target(c[1]))
			return r == PSCI_INVALID_PARAMETERS;
		if ((c[1] & 0xffU) == me || (c[1] & 0xffU) == boot_idx)
			return r == AFF_ON;
		return ONE_OF(r, AFF_ON, AFF_OFF, AFF_ON_PENDING);
	case PSCI_MIGRATE_INFO_TYPE:
		return r == view_before.migrate_type;
	case PSCI_FEATURES: {
		int a = known_index(c[1]);
		return r == (a >= 0 && a < (int)(2U * PSCI_ID_COUNT) ? view_before.features[a] :
			     c[1] == SMCCC_VERSION ? view_before.features[2U * PSCI_ID_COUNT] :
						     PSCI_NOT_SUPPORTED);
	}
	case PSCI_MIGRATE:
		return ONE_OF(r, PSCI_SUCCESS, PSCI_NOT_SUPPORTED, PSCI_INVALID_PARAMETERS, PSCI_DENIED,
			      PSCI_INTERNAL_FAILURE, PSCI_NOT_PRESENT);
	default: /* a function the firmware says it has, whose answers we do not check */
		return true;
	}
}

/* The boot CPU's results: [i] for 0 and -1..-9 (SUCCESS..INVALID_ADDRESS), [10] > 0, [11] < -9. */
static uint32_t fuzz_codes[12];

/* One call: prepared, made through smc_checked, judged, recorded in this CPU's own line. */
static bool fuzz_one(uint32_t c[4], unsigned me, bool boot)
{
	uint32_t out[4];

	if (!fuzz_prepare(c, boot))
		return false;
	bool standby = c[0] == PSCI_CPU_SUSPEND && !(c[1] & (1U << 16));
	if (standby) { /* its wake-up, pending before the call: the standby ends at once */
		gicd[GICD_SGIR / 4] = GICD_SGIR_SELF | WAKE_SGI;
		dsb(); /* the SGI request is complete before the call's WFI */
	}
	dsb(); /* our stores are complete before a CPU this call may start can read them */
	uint32_t changed = smc_checked(c, out);
	int32_t r = (int32_t)out[0];
	if (standby)
		gic_ack();
	volatile struct fuzz_cpu *fc = &fuzz_cpu[me];
	fc->calls++;
	if (c[0] == PSCI_CPU_ON && r == PSCI_SUCCESS)
		calls[me].on_ok++;
	if (boot)
		fuzz_codes[r > 0 ? 10 : r < -9 ? 11 : -r]++;
	if (!fuzz_allowed(c, r, me) && fc->bad++ == 0) {
		for (unsigned i = 0; i < 4; i++)
			fc->bad_call[i] = c[i];
		fc->bad_call[4] = (uint32_t)r;
	}
	if ((changed || out[1] || out[2] || out[3]) && fc->regs++ == 0) {
		fc->regs_call[0] = c[0];
		fc->regs_call[1] = changed;
		fc->regs_call[2] = out[1] | out[2] | out[3];
	}
	return true;
}

/* A CPU the fuzz started: a few random calls of its own, alongside the boot CPU's, then off. */
static void fuzz_secondary(unsigned idx, uint32_t context_id)
{
	volatile struct fuzz_cpu *fc = &fuzz_cpu[idx];
	uint32_t s = context_id ^ (0x9e3779b9U * (idx + 1U)) ^ fc->calls, c[4];

	if (!s)
		s = 1;
	fc->ctx_sum += context_id;
	fc->entries++;
	for (unsigned n = 0; n < FUZZ_SECONDARY_CALLS;) {
		c[0] = fuzz_fid(&s);
		c[1] = fuzz_arg(&s);
		c[2] = fuzz_arg(&s);
		c[3] = fuzz_arg(&s);
		if (fuzz_one(c, idx, false))
			n++;
	}
	dmb(); /* our record before the CPU_OFF that lets the boot CPU read it */
}

static void note_bad(unsigned i, const volatile struct fuzz_cpu *fc)
{
	fail("cpu%u: %lu bad, the first: call 0x%08lx(0x%08lx, 0x%08lx, 0x%08lx) returned %ld (%s)", i,
	     (unsigned long)fc->bad, (unsigned long)fc->bad_call[0], (unsigned long)fc->bad_call[1],
	     (unsigned long)fc->bad_call[2], (unsigned long)fc->bad_call[3], (long)(int32_t)fc->bad_call[4],
	     ret_name((int32_t)fc->bad_call[4]));
}

static void check_fuzz(void)
{
	static uint32_t started[PT_MAX_CPUS], ctx_sum[PT_MAX_CPUS]; /* by the boot CPU's CPU_ONs */
	uint32_t s = opt_seed, c[4], made = 0, skipped_ids = 0;
	volatile struct fuzz_cpu *me = &fuzz_cpu[boot_idx];
	struct monitor_view after;

	monitor_view(&view_before);
	fuzzing = 1;
	dsb(); /* the phase and the view are visible before any CPU_ON that starts a CPU */
	uint64_t t0 = now();
	/* Every known ID FUZZ_PER_ID times first: all of them are among the calls, whatever the seed. */
	for (unsigned k = 0; k < N_KNOWN && made < opt_calls; k++) {
		unsigned n = 0;
		for (; n < FUZZ_PER_ID && made < opt_calls; n++) {
			c[0] = known_id(k);
			c[1] = fuzz_arg(&s);
			c[2] = fuzz_arg(&s);
			c[3] = fuzz_arg(&s);
			uint32_t ctx = c[3], on_before = calls[boot_idx].on_ok;
			if (!fuzz_one(c, boot_idx, true))
				break;
			made++;
			if (calls[boot_idx].on_ok != on_before) {
				started[c[1] & 0xffU]++;
				ctx_sum[c[1] & 0xffU] += ctx;
			}
		}
		if (n == 0)
			skipped_ids++;
	}
	while (made < opt_calls) {
		c[0] = fuzz_fid(&s);
		c[1] = fuzz_arg(&s);
		c[2] = fuzz_arg(&s);
		c[3] = fuzz_arg(&s);
		uint32_t ctx = c[3], on_before = calls[boot_idx].on_ok;
		if (!fuzz_one(c, boot_idx, true))
			continue;
		made++;
		if (calls[boot_idx].on_ok != on_before) {
			started[c[1] & 0xffU]++;
			ctx_sum[c[1] & 0xffU] += ctx;
		}
	}
	uint32_t took_ms = ticks_us(now() - t0) / 1000U;

	/* The CPUs it started finish their own calls and go off; then the view again. */
	begin();
	for (unsigned i = 0; i < n_cpus; i++) {
		uint64_t took;
		int32_t a;
		if (i != boot_idx && !wait_off(i, RACE_TIMEOUT_MS, &took, &a)) {
			fail("cpu%u not OFF %u ms after the fuzz (AFFINITY_INFO %s)", i, RACE_TIMEOUT_MS, aff_name(a));
			note_cpu(i);
		}
	}
	fuzzing = 0;
	dsb(); /* the phase is over before any later CPU_ON */
	end("SMC fuzz: every CPU it started is off again");

	uint32_t sec_calls = 0, sec_entries = 0, n_started = 0;
	for (unsigned i = 0; i < n_cpus; i++)
		if (i != boot_idx) {
			sec_calls += fuzz_cpu[i].calls;
			sec_entries += fuzz_cpu[i].entries;
			n_started += started[i];
		}
	pr("psci-test: fuzz: seed 0x%08lx: %lu calls from cpu%u (each of the %u PSCI and SMCCC IDs %u times with "
	   "random arguments, then random IDs; %u IDs never called: they end the run) and %lu from the %lu "
	   "CPUs it started, in %lu ms\n",
	   (unsigned long)opt_seed, (unsigned long)me->calls, (unsigned)boot_idx, (unsigned)N_KNOWN, FUZZ_PER_ID,
	   (unsigned)skipped_ids,
	   (unsigned long)sec_calls, (unsigned long)sec_entries, (unsigned long)took_ms);
	uint32_t other_negative = fuzz_codes[7] + fuzz_codes[8] + fuzz_codes[11], total = me->calls + sec_calls;
	pr("psci-test: fuzz: cpu%u's results: %lu 0 (SUCCESS, ON), %lu NOT_SUPPORTED, %lu INVALID_PARAMETERS, "
	   "%lu DENIED, %lu ALREADY_ON, %lu ON_PENDING, %lu INTERNAL_FAILURE, %lu INVALID_ADDRESS, %lu other "
	   "negative, %lu positive (OFF, ON_PENDING, a version)\n",
	   (unsigned)boot_idx, (unsigned long)fuzz_codes[0], (unsigned long)fuzz_codes[1],
	   (unsigned long)fuzz_codes[2], (unsigned long)fuzz_codes[3], (unsigned long)fuzz_codes[4],
	   (unsigned long)fuzz_codes[5], (unsigned long)fuzz_codes[6], (unsigned long)fuzz_codes[9],
	   (unsigned long)other_negative, (unsigned long)fuzz_codes[10]);

	begin();
	for (unsigned i = 0; i < n_cpus; i++)
		if (fuzz_cpu[i].bad)
			note_bad(i, &fuzz_cpu[i]);
	end("SMC fuzz: %lu calls, every answer one the specification allows", (unsigned long)total);

	begin();
	for (unsigned i = 0; i < n_cpus; i++)
		if (fuzz_cpu[i].regs)
			fail("cpu%u: %lu calls, the first 0x%08lx: changed mask 0x%lx, r1|r2|r3 0x%08lx", i,
			     (unsigned long)fuzz_cpu[i].regs, (unsigned long)fuzz_cpu[i].regs_call[0],
			     (unsigned long)fuzz_cpu[i].regs_call[1], (unsigned long)fuzz_cpu[i].regs_call[2]);
	end("SMC fuzz: r1-r3 returned 0 and r4-r14 preserved by every call");

	begin();
	for (unsigned i = 0; i < n_cpus; i++)
		if (i != boot_idx && (fuzz_cpu[i].entries != started[i] || fuzz_cpu[i].ctx_sum != ctx_sum[i]))
			fail("cpu%u: %lu CPU_ONs succeeded, %lu entries; context_id sums 0x%08lx, 0x%08lx", i,
			     (unsigned long)started[i], (unsigned long)fuzz_cpu[i].entries, (unsigned long)ctx_sum[i],
			     (unsigned long)fuzz_cpu[i].ctx_sum);
	pr("psci-test: fuzz: %lu CPU_ONs started a CPU, %lu entries seen\n", (unsigned long)n_started,
	   (unsigned long)sec_entries);
	end("SMC fuzz: one entry per successful CPU_ON, with its context_id");

	begin();
	monitor_view(&after);
	unsigned changes = monitor_changes(&view_before, &after);
	pr("psci-test: fuzz: %u monitor state changes\n", changes);
	end("SMC fuzz: the firmware answers as before it");
}

/* ---- the end ----------------------------------------------------------------------------- */

static void finish(void)
{
	print_calls();
	pr("psci-test: done: %u checks, %u failed\n", n_checks, n_failed);
	int32_t r = psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	pr("psci-test: SYSTEM_OFF returned %ld (%s)\n", (long)r, ret_name(r));
	for (;;)
		wfi();
}

/* A mode other than conformance: the attack, then CPU_ON/CPU_OFF on every secondary, then off. */
static void attack(void) __attribute__((noreturn));
static void attack(void)
{
	check_version();
	check_cpu_count();
	if (run_mode == MODE_FILL)
		fill_ram();
	else if (run_mode == MODE_SECURE_ACCESS)
		check_secure_access();
	else
		check_fuzz();
	for (unsigned t = 0; t < n_cpus; t++)
		if (t != boot_idx)
			check_on_off(t, opt_cycles ? opt_cycles : run_mode == MODE_FILL ? FILL_CYCLES : ONOFF_CYCLES);
	if (run_mode == MODE_FILL)
		check_fill_intact();
	check_all_off();
	finish();
}

void boot_main(uint32_t cpsr, uint32_t sctlr, uint32_t r0, uint32_t dtb)
{
	boot_mpidr = read_mpidr();
	boot_idx = boot_mpidr & 0xffU;
	boot_mode = cpsr & PT_MODE_MASK;
	pr("psci-test: PSCI conformance test over %s on mpidr 0x%08lx: entered in %s mode, cpsr 0x%08lx, "
	   "device tree at 0x%08lx\n",
	   CONDUIT, (unsigned long)boot_mpidr, mode_name(cpsr), (unsigned long)cpsr, (unsigned long)dtb);
	fdt_bootargs(dtb, bootargs, sizeof(bootargs)); /* before anything may overwrite the device tree */
	check_boot_entry(cpsr, sctlr, r0);
	check_cntfrq();
	gic_setup(dtb);
	parse_bootargs();
	if (run_mode != MODE_CONFORMANCE) {
		pr("psci-test: mode %s (/chosen/bootargs \"%s\")\n", mode_names[run_mode], bootargs);
		attack();
	}
	uint32_t version = check_version();
	check_preserved();
	check_features(version);
	check_unknown();
	check_migrate_info();
	check_cpu_count();
#ifndef PSCI_TEST_HVC
	check_device_tree(dtb);
#endif
	check_on_self();
	check_on_invalid();
	check_on_bad_entry();
	for (unsigned t = 0; t < n_cpus; t++)
		if (t != boot_idx)
			check_on_off(t, ONOFF_CYCLES);
	check_fiq_masked();
	for (unsigned t = 0; t < n_cpus; t++)
		if (t != boot_idx)
			check_race(t);
	check_all_off();
	finish();
}

#endif /* PLAT_HAS_PSCI */
