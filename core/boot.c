/* Boot the flash payload: verify the uImage, copy it, and start it on the CPUs that came up. */
#include <string.h>

#include <muster/arch.h>
#include <muster/bootinfo.h>
#include <muster/boot.h>
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/endian.h>
#include <muster/fdt.h>
#include <muster/fit.h>
#include <muster/psci.h>
#include <muster/smp.h>
#include <muster/uimage.h>

static struct muster_bootinfo bootinfo;

/* Timing of the last boot, printed just before the jump (make bench reads it). */
static uint64_t verify_us, copy_us;
static uint32_t copied_bytes;

static void copy_timed(void *dst, const void *src, uint32_t len)
{
	uint64_t t0 = plat_time_us();

	memcpy(dst, src, len);
	copy_us += plat_time_us() - t0;
	copied_bytes += len;
}

static void print_timing(void)
{
	con_printf("boot: verified in %lu us, copied %lu bytes in %lu us, entry at %lu us since timer start\n",
		   (unsigned long)verify_us, (unsigned long)copied_bytes, (unsigned long)copy_us,
		   (unsigned long)plat_time_us());
}

static void bootinfo_fill(void)
{
	bootinfo = (struct muster_bootinfo){
		.magic = BOOTINFO_MAGIC,
		.version = BOOTINFO_VERSION,
		.size = sizeof(bootinfo),
		.cpu_count = smp_cpu_total(),
		.online_mask = smp_online_mask(),
		.mailbox = (uint32_t)(uintptr_t)mbox_slots,
		.ack_timeout_ms = smp_ack_timeout_ms(),
		.putc = plat_console_putc,
		.getc = plat_console_getc,
		.time_us = plat_time_us,
		.wake_cpu = plat_wake_cpu,
		.system_off = plat_system_off,
	};
}

static int off_muster(const char *what, uint32_t addr, uint32_t len)
{
	if (addr < MUSTER_RAM_BASE + MUSTER_RAM_SIZE && MUSTER_RAM_BASE < addr + len) {
		con_printf("boot: %s 0x%08lx-0x%08lx overlaps muster's memory\n", what, (unsigned long)addr,
			   (unsigned long)addr + len);
		return -1;
	}
	return 0;
}

static int range_ok(const char *what, uint32_t addr, uint32_t len)
{
	uint32_t ram_end = PLAT_RAM_BASE + PLAT_RAM_SIZE;

	if (addr < PLAT_RAM_BASE || len > ram_end - addr) {
		con_printf("boot: %s 0x%08lx-0x%08lx is outside RAM\n", what, (unsigned long)addr,
			   (unsigned long)addr + len);
		return -1;
	}
	return off_muster(what, addr, len);
}

/*
 * Where the OS's initrd and device tree may go: the RAM that exists, as the device tree tells the
 * OS (its /memory banks, which may be far more than the PLAT_RAM_* every configuration has), or
 * PLAT_RAM_* when it describes none; never muster's memory.
 */
static int os_range_ok(void *fdt, const char *what, uint32_t addr, uint32_t len)
{
	int in = fdt_memory_contains(fdt, addr, len);

	if (in < 0)
		return range_ok(what, addr, len);
	if (!in || len > UINT32_MAX - addr) {
		con_printf("boot: %s 0x%08lx-0x%08lx is outside the RAM the device tree describes\n", what,
			   (unsigned long)addr, (unsigned long)addr + len);
		return -1;
	}
	return off_muster(what, addr, len);
}

static int overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

struct cpu_marks {
	uint32_t online;
	unsigned marked, unmarkable;
};

/* Mark every CPU that is not online as status = "fail", so Linux skips it instead of waiting. */
static void mark_cpu(uint32_t reg, char *status, uint32_t status_len, void *ctx)
{
	struct cpu_marks *m = ctx;
	int idx = cpu_index_of(MPIDR_MP_FORMAT | reg);

	if (idx >= 0 && (m->online & (1U << idx)))
		return;
	if (!status || status_len < sizeof("fail")) {
		con_printf("boot: cannot mark CPU reg 0x%lx failed: its node has no status property to "
			   "rewrite (make flash adds one)\n",
			   (unsigned long)reg);
		m->unmarkable++;
		return;
	}
	memset(status, 0, status_len);
	memcpy(status, "fail", sizeof("fail"));
	m->marked++;
}

/* A CPU node whose MPIDR is no core of this board, or a core beyond the count the hardware reports. */
static int cpu_absent(uint32_t reg, const void *ctx)
{
	int idx = cpu_index_of(MPIDR_MP_FORMAT | reg);

	return idx < 0 || (unsigned)idx >= *(const unsigned *)ctx;
}

static int start_linux(uint32_t entry, uint32_t dtb, bool psci)
{
	con_printf("boot: starting Linux at 0x%08lx, device tree at 0x%08lx\n", (unsigned long)entry,
		   (unsigned long)dtb);
	print_timing();
	/* ARM boot protocol: r0 = 0, r1 = machine type, r2 = device tree; SVC, IRQs masked, MMU off. */
	dsb(); /* the copies complete before the kernel's first fetch */
#if PLAT_HAS_PSCI
	if (psci)
		return psci_boot_os(entry, 0, PLAT_LINUX_MACH_TYPE, dtb); /* returns only on failure */
#else
	(void)psci;
#endif
	sctlr_alignment_check(0); /* the OS gets SCTLR.A at its reset value */
	((void (*)(uint32_t, uint32_t, uint32_t))(uintptr_t)entry)(0, PLAT_LINUX_MACH_TYPE, dtb);
	return -1; /* not reached */
}

/* What a Linux-protocol boot needs, from a legacy multi-file uImage or from a FIT. */
struct linux_boot {
	const uint8_t *kernel;
	uint32_t kernel_size, load, entry;
	const uint8_t *initrd; /* NULL: none */
	uint32_t initrd_size;
	int initrd_fixed; /* a FIT's ramdisk has its own load address, which the DT must name */
	uint32_t initrd_load;
	const uint8_t *dtb; /* NULL: the kernel carries its own (appended) */
	uint32_t dtb_size, dtb_addr;
	int dtb_fixed; /* a FIT's fdt with its own load address: never moved */
};

/* The device tree's own alignment need is 8 bytes; a page keeps it clear of the initrd's. */
#define DTB_ALIGN 0x1000U

static int linux_start(const struct linux_boot *lb, const struct settings *s)
{
	char why[128];

	if (!lb->dtb) {
		/* A kernel image alone: it must carry an appended device tree; r2 = 0 says "none". */
		con_puts("boot: warning: no device tree in the image: the kernel must carry its own "
			 "(appended); failed CPUs cannot be marked\n");
		copy_timed((void *)lb->load, lb->kernel, lb->kernel_size);
		/* cppcheck-suppress knownConditionTrueFalse ; a constant 0 where PLAT_HAS_LINUX_SMP_PEN is 0 */
		if (linux_handoff_secondaries() != 0)
			return -1;
		return start_linux(lb->entry, 0, false);
	}
	if (fdt_check(lb->dtb, lb->dtb_size, why, sizeof(why))) {
		con_printf("boot: %s\n", why);
		return -1;
	}
	uint32_t dtb_size = fdt_totalsize(lb->dtb);
	uint32_t dtb_addr = lb->dtb_addr;
	/* Only read here: the image's own tree, where it lies (flash, or the FIT). */
	void *src = (void *)(uintptr_t)lb->dtb;
	uint32_t lo = 0, hi = 0;

	if (lb->initrd && (fdt_get_cell(src, "/chosen", "linux,initrd-start", &lo) ||
			   fdt_get_cell(src, "/chosen", "linux,initrd-end", &hi))) {
		con_puts("boot: the image has an initrd but the device tree has no "
			 "/chosen/linux,initrd-start and -end (make flash writes them)\n");
		return -1;
	}
	/* An initrd larger than the room below the usual place of the tree pushes the tree above it
	 * (the RAM the device tree describes decides whether that fits), rather than a size cap. */
	if (lb->initrd && !lb->dtb_fixed && hi > lo && overlap(lo, hi - lo, dtb_addr, dtb_size) &&
	    hi <= UINT32_MAX - DTB_ALIGN) {
		dtb_addr = (hi + DTB_ALIGN - 1U) & ~(DTB_ALIGN - 1U);
		con_printf("boot: device tree placed above the initrd, at 0x%08lx\n", (unsigned long)dtb_addr);
	}
	if (os_range_ok(src, "device tree", dtb_addr, dtb_size) ||
	    overlap(dtb_addr, dtb_size, lb->load, lb->kernel_size)) {
		con_puts("boot: no room for the device tree\n");
		return -1;
	}
	copy_timed((void *)dtb_addr, lb->dtb, dtb_size);
	void *fdt = (void *)dtb_addr;

	if (lb->initrd) {
		if (hi - lo != lb->initrd_size || (lb->initrd_fixed && lo != lb->initrd_load)) {
			con_printf("boot: the device tree's initrd range 0x%08lx-0x%08lx is not the image's "
				   "initrd (%lu bytes%s)\n",
				   (unsigned long)lo, (unsigned long)hi, (unsigned long)lb->initrd_size,
				   lb->initrd_fixed ? " at its load address" : "");
			return -1;
		}
		if (os_range_ok(fdt, "initrd", lo, lb->initrd_size) || overlap(lo, lb->initrd_size, lb->load, lb->kernel_size) ||
		    overlap(lo, lb->initrd_size, dtb_addr, dtb_size)) {
			con_puts("boot: the initrd range collides with the kernel or device tree\n");
			return -1;
		}
		copy_timed((void *)lo, lb->initrd, lb->initrd_size);
	}
	if (s->bootargs[0] && fdt_set_string_inplace(fdt, "/chosen", "bootargs", s->bootargs))
		con_puts("boot: warning: the device tree's /chosen/bootargs is missing or too short for "
			 "the settings' boot arguments; keeping the device tree's\n");

	/* No node for a core that is not there: an OS that counts CPU nodes without reading their
	 * status would try to start it. A core that is there but failed keeps its node, "fail". */
	unsigned present = smp_cpu_total();
	int removed = fdt_drop_cpus(fdt, cpu_absent, &present);
	if (removed)
		con_printf("boot: device tree: removed %d CPU nodes of cores this board does not have "
			   "(it reports %u)\n",
			   removed, present);
	struct cpu_marks marks = { .online = smp_online_mask() };
	int cpus = fdt_for_each_cpu(fdt, mark_cpu, &marks);
	con_printf("boot: device tree: %d CPU nodes, %u marked failed\n", cpus, marks.marked);

	copy_timed((void *)lb->load, lb->kernel, lb->kernel_size);
	/* A device tree that asks for PSCI gets it: the secondaries stay in muster's pen. */
#if PLAT_HAS_PSCI
	if (psci_requested(fdt))
		return start_linux(lb->entry, dtb_addr, true);
#endif
	/* cppcheck-suppress knownConditionTrueFalse ; a constant 0 where PLAT_HAS_LINUX_SMP_PEN is 0 */
	if (linux_handoff_secondaries() != 0)
		return -1;
	return start_linux(lb->entry, dtb_addr, false);
}

static int boot_linux(const struct uimage_info *info, const struct settings *s)
{
	const uint8_t *img = (const uint8_t *)MUSTER_PAYLOAD_ADDR;
	struct linux_boot lb = {
		.kernel = img + info->part[0].offset,
		.kernel_size = info->part[0].size,
		.load = info->load,
		.entry = info->entry,
		.dtb_addr = PLAT_LINUX_DTB_ADDR,
	};

	for (unsigned i = 1; i < info->nparts; i++) {
		const uint8_t *p = img + info->part[i].offset;
		if (get_be32(p) == FDT_MAGIC && !lb.dtb) {
			lb.dtb = p;
			lb.dtb_size = info->part[i].size;
		} else if (!lb.initrd) {
			lb.initrd = p;
			lb.initrd_size = info->part[i].size;
		}
	}
	return linux_start(&lb, s);
}

/* A FIT: every image of its default configuration, verified, each copied to its own load address. */
static int boot_fit(const struct uimage_policy *policy, const struct settings *s, uint64_t t0)
{
	struct fit_info fit;
	char why[160];
	int bad = fit_verify((const uint8_t *)MUSTER_PAYLOAD_ADDR, MUSTER_PAYLOAD_MAX, policy, &fit, why,
			     sizeof(why));

	verify_us = plat_time_us() - t0;
	if (bad) {
		con_printf("boot: payload at 0x%08lx refused: %s\n", (unsigned long)MUSTER_PAYLOAD_ADDR, why);
		return -1;
	}
	con_printf("boot: FIT configuration '%s': kernel '%s' %lu bytes at 0x%08lx, entry 0x%08lx%s%s%s%s, "
		   "%u loadables, hashes ok\n",
		   fit.config, fit.kernel.name, (unsigned long)fit.kernel.size, (unsigned long)fit.kernel.load,
		   (unsigned long)fit.kernel.entry, fit.has_ramdisk ? ", ramdisk '" : "",
		   fit.has_ramdisk ? fit.ramdisk.name : "", fit.has_ramdisk ? "'" : "",
		   fit.has_fdt ? ", fdt" : "", fit.nloadables);
	/* A device tree without its own load address goes to the board's default place, which must
	 * then miss every image the FIT loads (fit_verify checked the images against each other). */
	if (fit.has_fdt && !fit.fdt.has_load) {
		const struct fit_image *others[2 + FIT_MAX_LOADABLES] = { &fit.kernel };
		unsigned n = 1;

		if (fit.has_ramdisk)
			others[n++] = &fit.ramdisk;
		for (unsigned i = 0; i < fit.nloadables; i++)
			others[n++] = &fit.loadable[i];
		for (unsigned i = 0; i < n; i++) {
			if (overlap(PLAT_LINUX_DTB_ADDR, fit.fdt.size, others[i]->load, others[i]->size)) {
				con_printf("boot: payload refused: FIT: fdt '%s' has no load address and its default "
					   "place 0x%08lx overlaps image '%s'\n",
					   fit.fdt.name, (unsigned long)PLAT_LINUX_DTB_ADDR, others[i]->name);
				return -1;
			}
		}
	}
	for (unsigned i = 0; i < fit.nloadables; i++) {
		const struct fit_image *im = &fit.loadable[i];

		con_printf("boot: FIT loadable '%s': %lu bytes at 0x%08lx\n", im->name, (unsigned long)im->size,
			   (unsigned long)im->load);
		copy_timed((void *)im->load, im->data, im->size);
	}
	struct linux_boot lb = {
		.kernel = fit.kernel.data,
		.kernel_size = fit.kernel.size,
		.load = fit.kernel.load,
		.entry = fit.kernel.entry,
		.initrd = fit.has_ramdisk ? fit.ramdisk.data : NULL,
		.initrd_size = fit.ramdisk.size,
		.initrd_fixed = fit.has_ramdisk,
		.initrd_load = fit.ramdisk.load,
		.dtb = fit.has_fdt ? fit.fdt.data : NULL,
		.dtb_size = fit.fdt.size,
		.dtb_addr = fit.has_fdt && fit.fdt.has_load ? fit.fdt.load : PLAT_LINUX_DTB_ADDR,
		.dtb_fixed = fit.has_fdt && fit.fdt.has_load,
	};
	return linux_start(&lb, s);
}

int linux_handoff_secondaries(void)
{
	uint32_t others = smp_online_mask() & ~1U;

	if (!others)
		return 0;
#if PLAT_HAS_LINUX_SMP_PEN
	plat_linux_smp_prepare();
	uint32_t moved = smp_release(others, (uint32_t)(uintptr_t)plat_linux_secondary_pen, 0);
	if (moved != others) {
		con_printf("boot: CPUs 0x%lx did not move to the Linux pen\n",
			   (unsigned long)(others & ~moved));
		return -1;
	}
	con_printf("boot: CPUs 0x%lx wait in the board's Linux pen\n", (unsigned long)moved);
	return 0;
#elif PLAT_LINUX_STARTS_CORES
	/* Linux starts them itself, from reset, through the power controller: they must be in reset. */
	uint32_t held = smp_hold(others);
	if (held != others) {
		con_printf("boot: CPUs 0x%lx could not be held in reset for Linux to start them\n",
			   (unsigned long)(others & ~held));
		return -1;
	}
	con_printf("boot: CPUs 0x%lx held in reset: Linux starts them through the board's power controller\n",
		   (unsigned long)held);
	return 0;
#else
	con_puts("boot: warning: this board has no Linux SMP handoff; Linux gets CPU0 only\n");
	return 0;
#endif
}

int boot_payload(const struct settings *s)
{
	static const struct uimage_policy policy = {
		.ram_base = PLAT_RAM_BASE,
		.ram_size = PLAT_RAM_SIZE,
		.hole_base = MUSTER_RAM_BASE,
		.hole_size = MUSTER_RAM_SIZE,
	};
	struct uimage_info info;
	char why[160];
	uint64_t t0 = plat_time_us();

	copy_us = 0;
	copied_bytes = 0;
	if (get_be32((const void *)MUSTER_PAYLOAD_ADDR) == FDT_MAGIC)
		return boot_fit(&policy, s, t0);
	int bad = uimage_verify((const uint8_t *)MUSTER_PAYLOAD_ADDR, MUSTER_PAYLOAD_MAX, &policy, &info, why,
				sizeof(why));
	verify_us = plat_time_us() - t0;
	if (bad) {
		con_printf("boot: payload at 0x%08lx refused: %s\n", (unsigned long)MUSTER_PAYLOAD_ADDR, why);
		return -1;
	}
	con_printf("boot: %s image '%s': %lu bytes, load 0x%08lx, entry 0x%08lx, CRCs ok\n",
		   info.type == UIMAGE_TYPE_STANDALONE ? "standalone" :
		   info.type == UIMAGE_TYPE_KERNEL     ? "kernel" :
							 "multi-file",
		   info.name, (unsigned long)info.data_size, (unsigned long)info.load,
		   (unsigned long)info.entry);
	if (info.type == UIMAGE_TYPE_STANDALONE) {
		copy_timed((void *)info.load, (const uint8_t *)MUSTER_PAYLOAD_ADDR + info.part[0].offset,
			   info.part[0].size);
		bootinfo_fill();
		con_printf("boot: starting standalone payload at 0x%08lx\n", (unsigned long)info.entry);
		print_timing();
		dsb(); /* the copy completes before the payload's first fetch */
		sctlr_alignment_check(0); /* the payload gets SCTLR.A at its reset value */
		((void (*)(struct muster_bootinfo *))(uintptr_t)info.entry)(&bootinfo);
		sctlr_alignment_check(1);
		con_puts("boot: payload returned\n");
		smp_resync();
		return 0;
	}
	if (info.os != UIMAGE_OS_LINUX) {
		con_printf("boot: kernel image for OS %lu: only Linux (%d) is supported\n",
			   (unsigned long)info.os, UIMAGE_OS_LINUX);
		return -1;
	}
	return boot_linux(&info, s);
}
