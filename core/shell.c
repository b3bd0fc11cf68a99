/* The console's commands: see and drive every core, memory, and the payload, from the prompt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <muster/boot.h>
#include <muster/cmdline.h>
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/crc32.h>
#include <muster/report.h>
#include <muster/shell.h>
#include <muster/smp.h>

#include <muster/version.h>

#define CTRL_C 0x03
#define MD_MAX_UNITS 4096U
#define STRESS_SAMPLES 32768U

int probe_read8(uint32_t addr, uint8_t *out);
int probe_read16(uint32_t addr, uint16_t *out);
int probe_read32(uint32_t addr, uint32_t *out);
int probe_write8(uint32_t addr, uint32_t value);
int probe_write16(uint32_t addr, uint32_t value);
int probe_write32(uint32_t addr, uint32_t value);
extern uint32_t probe_fault_address;

static const struct settings *boot_settings;
static unsigned loglevel = 1; /* 0 quiet, 1 normal, 2 verbose */
static uint32_t samples[STRESS_SAMPLES];

void shell_idle_entry(uint32_t arg)
{
	(void)arg;
}

static int bad_number(const char *what, const char *s)
{
	con_printf("error: %s '%s' is not a number (decimal, or hex with 0x)\n", what, s);
	return -1;
}

static int in_window(uint32_t addr, uint32_t len, uint32_t base, uint32_t size)
{
	return addr >= base && len <= size && addr - base <= size - len;
}

/* RAM a payload may use, muster's own RAM, or the flash: what crc32 and go may touch. */
static int known_memory(uint32_t addr, uint32_t len)
{
	return in_window(addr, len, PLAT_RAM_BASE, PLAT_RAM_SIZE) ||
	       in_window(addr, len, MUSTER_RAM_BASE, MUSTER_RAM_SIZE) ||
	       in_window(addr, len, PLAT_FLASH_BASE, PLAT_FLASH_SIZE);
}

/* "md", "md.b", "md.h", "md.w" -> unit size, or 0 when the suffix is unknown. */
static unsigned width_of(const char *cmd)
{
	const char *dot = strchr(cmd, '.');

	if (!dot)
		return 4;
	if (strcmp(dot, ".b") == 0)
		return 1;
	if (strcmp(dot, ".h") == 0)
		return 2;
	if (strcmp(dot, ".w") == 0)
		return 4;
	return 0;
}

static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	con_printf("muster %s (%s, build %s)\n", MUSTER_VERSION, PLAT_NAME, MUSTER_BUILD_ID);
	return 0;
}

static int cmd_cpus(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	con_puts("cpu   mpidr       state       last stage  latency     retries  wake-ups  unwoken  power\n");
	for (unsigned idx = 0; idx < smp_cpu_total(); idx++) {
		const struct smp_cpu *cpu = &smp_cpus[idx];
		const struct mbox_slot *slot = &mbox_slots[idx];
		int valid = idx != 0 && readl(&slot->st_magic) == MBOX_ST_VALID;
		char latency[16] = "-";

		if (cpu->state == SMP_ONLINE)
			snprintf(latency, sizeof(latency), "%lu us", (unsigned long)cpu->latency_us);
		con_printf("cpu%-2u 0x%08lx  %-10s  %-10s  %-10s  %-7lu  %-8lu  %-7lu  %s\n", idx,
			   (unsigned long)cpu->mpidr, smp_state_name(cpu->state),
			   valid ? smp_stage_name(readl(&slot->st_stage)) : "-", latency,
			   (unsigned long)cpu->retries, valid ? (unsigned long)readl(&slot->st_wakeups) : 0UL,
			   valid ? (unsigned long)readl(&slot->st_unwoken) : 0UL, smp_power_name(cpu->power));
	}
	return 0;
}

static int parse_cpu(const char *s, unsigned *idx)
{
	uint32_t v;

	if (parse_u32(s, &v))
		return bad_number("cpu", s);
	if (v == 0) {
		con_puts("error: cpu0 runs this console; it cannot be released\n");
		return -1;
	}
	if (v >= smp_cpu_total()) {
		con_printf("error: no cpu%lu: this board reports %u CPUs\n", (unsigned long)v, smp_cpu_total());
		return -1;
	}
	*idx = v;
	return 0;
}

static int cmd_release(int argc, char **argv)
{
	unsigned idx;
	uint32_t entry = (uint32_t)(uintptr_t)shell_idle_entry;

	if (parse_cpu(argv[1], &idx))
		return -1;
	if (argc > 2) {
		if (parse_u32(argv[2], &entry))
			return bad_number("address", argv[2]);
		if (!known_memory(entry & ~1U, 4) || (!(entry & 1U) && (entry & 3U))) {
			con_printf("error: 0x%08lx is not an entry address (word-aligned ARM, or odd for "
				   "Thumb, in RAM or flash)\n",
				   (unsigned long)entry);
			return -1;
		}
	}
	const char *why = smp_release_refusal(idx);
	if (why) {
		con_printf("error: cpu%u %s\n", idx, why);
		return -1;
	}
	con_printf("release: cpu%u at 0x%08lx, timeout %lu ms\n", idx, (unsigned long)entry,
		   (unsigned long)smp_ack_timeout_ms());
	uint32_t online = smp_release(1U << idx, entry, 0);
	smp_report_cpu(idx);
	return online ? 0 : -1;
}

static int cmd_timeout(int argc, char **argv)
{
	uint32_t ms;

	if (argc > 1) {
		if (parse_u32(argv[1], &ms))
			return bad_number("timeout", argv[1]);
		if (smp_set_ack_timeout_ms(ms)) {
			con_printf("error: timeout %lu ms out of range %u..%u\n", (unsigned long)ms,
				   SMP_ACK_TIMEOUT_MIN_MS, SMP_ACK_TIMEOUT_MAX_MS);
			return -1;
		}
	}
	con_printf("timeout: %lu ms\n", (unsigned long)smp_ack_timeout_ms());
	return 0;
}

static int read_unit(uint32_t addr, unsigned width, uint32_t *value)
{
	uint8_t b;
	uint16_t h;
	int rc;

	if (width == 1) {
		rc = probe_read8(addr, &b);
		*value = b;
	} else if (width == 2) {
		rc = probe_read16(addr, &h);
		*value = h;
	} else {
		rc = probe_read32(addr, value);
	}
	return rc;
}

/* The checks md and mw share: count in range, aligned, inside the 32-bit address space. */
static int check_units(uint32_t addr, unsigned width, uint32_t count)
{
	if (count == 0 || count > MD_MAX_UNITS) {
		con_printf("error: count %lu out of range 1..%u\n", (unsigned long)count, MD_MAX_UNITS);
		return -1;
	}
	if (addr & (width - 1U)) {
		con_printf("error: 0x%08lx is not %u-byte aligned\n", (unsigned long)addr, width);
		return -1;
	}
	if ((uint64_t)addr + (uint64_t)count * width > 0x100000000ULL) {
		con_puts("error: the range runs past the end of the address space\n");
		return -1;
	}
	return 0;
}

static int cmd_md(int argc, char **argv)
{
	unsigned width = width_of(argv[0]);
	uint32_t addr, count = 64U / (width ? width : 1U);

	if (!width) {
		con_printf("error: unknown width '%s' (md, md.b, md.h, md.w)\n", argv[0]);
		return -1;
	}
	if (parse_u32(argv[1], &addr))
		return bad_number("address", argv[1]);
	if (argc > 2 && parse_u32(argv[2], &count))
		return bad_number("count", argv[2]);
	if (check_units(addr, width, count))
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t a = addr + i * width, v;

		if (i % (16U / width) == 0)
			con_printf("%s%08lx:", i ? "\n" : "", (unsigned long)a);
		if (read_unit(a, width, &v)) {
			con_printf("\nmd: data abort reading 0x%08lx (fault address 0x%08lx)\n", (unsigned long)a,
				   (unsigned long)probe_fault_address);
			return -1;
		}
		con_printf(" %0*lx", (int)(width * 2U), (unsigned long)v);
	}
	con_puts("\n");
	return 0;
}

static int cmd_mw(int argc, char **argv)
{
	unsigned width = width_of(argv[0]);
	uint32_t addr, value, count = 1;

	if (!width) {
		con_printf("error: unknown width '%s' (mw, mw.b, mw.h, mw.w)\n", argv[0]);
		return -1;
	}
	if (parse_u32(argv[1], &addr))
		return bad_number("address", argv[1]);
	if (parse_u32(argv[2], &value))
		return bad_number("value", argv[2]);
	if (argc > 3 && parse_u32(argv[3], &count))
		return bad_number("count", argv[3]);
	if (width < 4 && value >> (width * 8U)) {
		con_printf("error: value 0x%lx does not fit %u byte(s)\n", (unsigned long)value, width);
		return -1;
	}
	if (check_units(addr, width, count))
		return -1;
	if (addr < MUSTER_RAM_BASE + MUSTER_RAM_SIZE && MUSTER_RAM_BASE < addr + count * width) {
		con_puts("error: refusing to write muster's own memory (mailbox, data, stacks)\n");
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t a = addr + i * width;
		int rc = width == 1 ? probe_write8(a, value) : width == 2 ? probe_write16(a, value) :
									     probe_write32(a, value);
		if (rc) {
			con_printf("mw: data abort writing 0x%08lx (fault address 0x%08lx)\n", (unsigned long)a,
				   (unsigned long)probe_fault_address);
			return -1;
		}
	}
	return 0;
}

static int cmd_crc32(int argc, char **argv)
{
	uint32_t addr, len;

	(void)argc;
	if (parse_u32(argv[1], &addr))
		return bad_number("address", argv[1]);
	if (parse_u32(argv[2], &len))
		return bad_number("length", argv[2]);
	if (!known_memory(addr, len)) {
		con_printf("error: 0x%08lx+0x%lx is not inside RAM or flash\n", (unsigned long)addr,
			   (unsigned long)len);
		return -1;
	}
	con_printf("crc32 0x%08lx+0x%lx: 0x%08lx\n", (unsigned long)addr, (unsigned long)len,
		   (unsigned long)crc32(0, (const void *)(uintptr_t)addr, len));
	return 0;
}

static int cmd_go(int argc, char **argv)
{
	uint32_t addr;

	(void)argc;
	if (parse_u32(argv[1], &addr))
		return bad_number("address", argv[1]);
	if (!known_memory(addr & ~1U, 4) || (!(addr & 1U) && (addr & 3U))) {
		con_printf("error: 0x%08lx is not an entry address (word-aligned ARM, or odd for Thumb, in "
			   "RAM or flash)\n",
			   (unsigned long)addr);
		return -1;
	}
	con_printf("go: calling 0x%08lx on cpu0\n", (unsigned long)addr);
	dsb(); /* everything written so far completes before the code runs */
	uint32_t r0 = ((uint32_t (*)(void))(uintptr_t)addr)();
	con_printf("go: returned 0x%08lx\n", (unsigned long)r0);
	return 0;
}

static int cmd_boot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return boot_payload(boot_settings);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Wait until every CPU of `mask` that went online is back in its pen; returns those that are not. */
static uint32_t wait_back_in_pen(uint32_t mask)
{
	uint64_t deadline = plat_time_us() + (uint64_t)smp_ack_timeout_ms() * 1000U;
	uint32_t busy;

	do {
		busy = 0;
		for (unsigned idx = 1; idx < smp_cpu_total(); idx++)
			if ((mask & (1U << idx)) && smp_cpus[idx].state == SMP_ONLINE && !smp_cpu_idle(idx))
				busy |= 1U << idx;
		if (busy)
			cpu_relax();
	} while (busy && plat_time_us() < deadline);
	return busy;
}

static int cmd_stress(int argc, char **argv)
{
	uint32_t cycles, fails[PLAT_MAX_CPUS] = { 0 }, mask = smp_online_mask() & ~1U;
	unsigned nsamples = 0, done = 0;

	(void)argc;
	if (parse_u32(argv[1], &cycles))
		return bad_number("cycles", argv[1]);
	if (cycles == 0) {
		con_puts("error: stress needs at least 1 cycle\n");
		return -1;
	}
	if (!mask) {
		con_puts("error: no online secondary to stress\n");
		return -1;
	}
	con_printf("stress: %lu park/release cycles over CPUs 0x%lx (Ctrl-C stops)\n", (unsigned long)cycles,
		   (unsigned long)mask);
	for (; done < cycles; done++) {
		if (plat_console_getc() == CTRL_C) {
			con_puts("^C\nstress: cancelled\n");
			break;
		}
		/* A CPU acknowledges before it runs the entry: let it get back to its pen first. */
		uint32_t stuck = wait_back_in_pen(mask), want = 0;
		for (unsigned idx = 1; idx < smp_cpu_total(); idx++) {
			if (stuck & (1U << idx))
				con_printf("stress: cpu%u did not return to its pen within %lu ms\n", idx,
					   (unsigned long)smp_ack_timeout_ms());
			if ((mask & (1U << idx)) && !smp_release_refusal(idx))
				want |= 1U << idx;
		}
		uint32_t got = smp_release(want, (uint32_t)(uintptr_t)shell_idle_entry, done);
		for (unsigned idx = 1; idx < smp_cpu_total(); idx++) {
			if (!(mask & (1U << idx)))
				continue;
			if (!(got & (1U << idx))) {
				fails[idx]++;
				if (loglevel >= 1)
					smp_report_cpu(idx);
			} else if (nsamples < STRESS_SAMPLES) {
				samples[nsamples++] = smp_cpus[idx].latency_us;
			}
		}
		if (loglevel >= 2)
			con_printf("stress: cycle %u: online 0x%lx\n", done, (unsigned long)got);
	}
	con_printf("stress: %u cycles done\n", done);
	for (unsigned idx = 1; idx < smp_cpu_total(); idx++)
		if (mask & (1U << idx))
			con_printf("stress: cpu%u: %lu failures\n", idx, (unsigned long)fails[idx]);
	if (nsamples) {
		qsort(samples, nsamples, sizeof(samples[0]), compare_u32);
		con_printf("stress: latency min %lu us, median %lu us, max %lu us over %u releases\n",
			   (unsigned long)samples[0], (unsigned long)samples[nsamples / 2],
			   (unsigned long)samples[nsamples - 1], nsamples);
	}
	return 0;
}

static int cmd_reset(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	con_puts("reset: resetting the board\n");
	plat_system_reset();
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	con_puts("muster: powering off\n");
	plat_system_off();
}

static int cmd_loglevel(int argc, char **argv)
{
	uint32_t level;

	if (argc > 1) {
		if (parse_u32(argv[1], &level))
			return bad_number("level", argv[1]);
		if (level > 2) {
			con_puts("error: log level is 0 (quiet), 1 (normal) or 2 (verbose)\n");
			return -1;
		}
		loglevel = level;
	}
	con_printf("loglevel: %u\n", loglevel);
	return 0;
}

static const struct command commands[] = {
	{ "help", "", "list the commands", 0, 0, cmd_help },
	{ "version", "", "muster's version, board and build", 0, 0, cmd_version },
	{ "cpus", "", "per-CPU state, MPIDR, last stage, latency, retries, wake-ups", 0, 0, cmd_cpus },
	{ "release", "<cpu> [addr]", "release a parked or abandoned CPU (at addr: run code there)", 1, 2,
	  cmd_release },
	{ "timeout", "[ms]", "show or set the acknowledgment timeout", 0, 1, cmd_timeout },
	{ "md", "<addr> [count]", "memory display (md.b, md.h, md.w for the width)", 1, 2, cmd_md },
	{ "md.b", "<addr> [count]", NULL, 1, 2, cmd_md },
	{ "md.h", "<addr> [count]", NULL, 1, 2, cmd_md },
	{ "md.w", "<addr> [count]", NULL, 1, 2, cmd_md },
	{ "mw", "<addr> <value> [count]", "memory write (mw.b, mw.h, mw.w for the width)", 2, 3, cmd_mw },
	{ "mw.b", "<addr> <value> [count]", NULL, 2, 3, cmd_mw },
	{ "mw.h", "<addr> <value> [count]", NULL, 2, 3, cmd_mw },
	{ "mw.w", "<addr> <value> [count]", NULL, 2, 3, cmd_mw },
	{ "crc32", "<addr> <len>", "CRC-32 of a memory range", 2, 2, cmd_crc32 },
	{ "go", "<addr>", "call code at addr on cpu0", 1, 1, cmd_go },
	{ "boot", "", "verify and start the flash payload", 0, 0, cmd_boot },
	{ "stress", "<n>", "n park/release cycles over the online secondaries", 1, 1, cmd_stress },
	{ "reset", "", "reset the board", 0, 0, cmd_reset },
	{ "poweroff", "", "power the board off", 0, 0, cmd_poweroff },
	{ "loglevel", "[0|1|2]", "show or set the log level (quiet, normal, verbose)", 0, 1, cmd_loglevel },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (const struct command *c = commands; c->name; c++)
		if (c->help)
			con_printf("  %-8s %-24s %s\n", c->name, c->args, c->help);
	con_puts("numbers are decimal or hex (0x...); Ctrl-C cancels a line or a stress; up/down: history\n");
	return 0;
}

void shell_run(const struct settings *settings)
{
	static struct line_editor le;
	char line[CMDLINE_MAX + 1];

	boot_settings = settings;
	le_init(&le, con_puts);
	con_puts("muster> ");
	for (;;) {
		int ch = plat_console_getc();

		if (ch < 0) {
			cpu_relax();
			continue;
		}
		enum le_result r = le_feed(&le, ch);
		if (r == LE_LINE) {
			memcpy(line, le.buf, sizeof(line));
			(void)cmd_exec(commands, line, con_puts);
		}
		if (r != LE_NONE)
			con_puts("muster> ");
	}
}
