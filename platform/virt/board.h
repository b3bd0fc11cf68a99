/* QEMU "virt" machine with secure=on and Cortex-A15 CPUs, booted as its Secure firmware from flash 0. */
#ifndef BOARD_VIRT_H
#define BOARD_VIRT_H

/*
 * Sources:
 *  [QEMU] QEMU 7.2 hw/arm/virt.c (base_memmap[], create_secure_ram(), create_gpio_devices(),
 *         create_secure_gpio_pwr(), virt_cpu_mp_affinity()), hw/gpio/gpio_pwr.c, target/arm
 *         (generic timer), and `info mtree` of `-M virt,secure=on -cpu cortex-a15`, checked on
 *         this machine: secure flash0 at 0 (64 MiB), GICv2 at 0x08000000/0x08010000, PL011
 *         at 0x09000000, secure PL061 at 0x090b0000, secure RAM at 0x0e000000 (16 MiB),
 *         RAM at 0x40000000; every CPU starts at 0 in Secure SVC; MPIDR
 *         0x80000000..0x80000007 with -smp 8; CNTFRQ 62500000. QEMU 10.0 is the same; its
 *         `info mtree` (checked here, 7.2 and 10.0) maps flash0 and virt.secure-ram only into
 *         the "secure-memory" address space: the Non-secure one has nothing at either address.
 *  [GIC]  Arm IHI 0048B: GIC architecture v2 (GICD_TYPER, GICD_SGIR, up to 8 CPU interfaces).
 *  [GT]   Arm DDI 0406C chapter B8: the Generic Timer (CNTPCT, CNTFRQ).
 *  [PL061] Arm DDI 0190: PrimeCell GPIO.
 *  [A15]  Arm DDI 0438: Cortex-A15 MPCore TRM: ACTLR (bit 6, SMP).
 */
#define PLAT_NAME "virt"
#define PLAT_MAX_CPUS 8 /* [GIC] GICv2 serves at most 8 CPU interfaces; QEMU virt allows 8 with it */
/*
 * [QEMU] virt_cpu_mp_affinity(): with GICv2, clusters of GIC_TARGETLIST_BITS = 8 CPUs, so
 * MPIDR Aff0 = CPU 0..7 and Aff1 = 0 (printed: 0x80000000..0x80000007).
 */
#define PLAT_CORES_PER_CLUSTER 8
/*
 * With secure=on and firmware in flash, QEMU disables its own PSCI and starts every CPU at 0
 * together [QEMU]: no power controller to drive.
 */
#define PLAT_HAS_CPU_POWER 0
/* muster is the Secure firmware and offers PSCI 1.0 over SMC to a Linux whose DTB asks for it. */
#define PLAT_HAS_PSCI 1

/*
 * Secure flash 0 at 0 (only the Secure address space sees it), 64 MiB [QEMU] virt_flash_map():
 * with firmware and secure=on, flash0 goes into secure_sysmem alone, flash1 (0x04000000) is the
 * Non-secure one. muster's code and read-only data run from here.
 */
#define PLAT_FLASH_BASE 0x00000000
#define PLAT_FLASH_SIZE 0x04000000
/* muster's own part of the flash: the first 256 KiB erase block [QEMU] (pflash, 256 KiB sectors). */
#define MUSTER_FLASH_BASE PLAT_FLASH_BASE
#define MUSTER_FLASH_SIZE 0x00040000

/* Normal-world RAM at 0x40000000 [QEMU]: what a payload gets. */
#define PLAT_RAM_BASE 0x40000000
#define PLAT_RAM_SIZE 0x04000000 /* the first 64 MiB: what every -m >= 64M provides */
/*
 * Secure-only RAM [QEMU] VIRT_SECURE_MEM, create_secure_ram(): "virt.secure-ram", mapped into
 * the Secure address space only. A Non-secure access there finds nothing and takes a
 * synchronous external abort (checked here, QEMU 7.2 and 10.0: DFSR 0x008 read, 0x808 write), as
 * one refused by a TrustZone address-space controller's error response does.
 */
#define PLAT_SECURE_RAM_BASE 0x0e000000
#define PLAT_SECURE_RAM_SIZE 0x01000000
/*
 * muster's RAM: the first 1 MiB of the Secure RAM. Nothing muster reads after the handoff to
 * the Non-secure OS (stacks, .data/.bss, the PSCI state and lock, the mailbox, .ramtext) is
 * where that OS can write; its code stays in the Secure flash. Standalone payloads run Secure
 * and reach the mailbox here; a Non-secure OS starts CPUs through PSCI (docs/psci.md).
 */
#define MUSTER_RAM_BASE PLAT_SECURE_RAM_BASE
#define MUSTER_RAM_SIZE 0x00100000
#define PLAT_MUSTER_MEMORY_SECURE 1 /* MUSTER_RAM_* and muster's flash window are Secure-only */

/* GICv2 [QEMU] base_memmap VIRT_GIC_DIST, VIRT_GIC_CPU. */
#define VIRT_GICD_BASE 0x08000000
#define VIRT_GICC_BASE 0x08010000
/*
 * GIC CPU interface number of CPU index i: i. QEMU's GICv2 numbers its interfaces by CPU
 * (cpu_index), and index = Aff0 = cpu_index here, so an SGI's CPUTargetList bit is the index.
 */

/* PL011 UART0 [QEMU] VIRT_UART (the Non-secure one, visible to Secure too; serial0). */
#define VIRT_UART0_BASE 0x09000000
#define VIRT_UART_CLK_HZ 24000000 /* [QEMU] the "apb-pclk" the DT gives it; QEMU ignores the divisor */
/* The console PL011, for payloads that print to it directly (the PSCI test payload). */
#define PLAT_CONSOLE_PL011_BASE VIRT_UART0_BASE

/*
 * Power: the Secure PL061 [QEMU] VIRT_SECURE_GPIO, wired to the gpio-pwr device:
 * pin 0 -> "shutdown" (QEMU exits), pin 1 -> "reset" ([QEMU] SECURE_GPIO_POWEROFF/_RESET,
 * checked here: pin 0 ends QEMU with status 0, pin 1 restarts the machine).
 */
#define VIRT_SECURE_GPIO_BASE 0x090b0000
#define VIRT_GPIO_PIN_POWEROFF 0
#define VIRT_GPIO_PIN_RESET 1

/*
 * Time: the generic timer's physical counter, 62.5 MHz in QEMU 7.2 (one tick per 16 ns, the
 * CPU's "cntfrq" property default), which CNTFRQ also resets to [QEMU]. muster writes CNTFRQ
 * on every core from this value [GT], as the Secure firmware must.
 */
#define PLAT_COUNTER_HZ 62500000

/*
 * Interrupt wake-up of parked secondaries: SGI number used by muster [GIC] (any of 0..15).
 * Linux's IPIs are SGIs 0-7; under PSCI this one stays Secure (Group 0) while the OS owns the rest.
 */
#define PLAT_WAKE_SGI 15

/*
 * The pen's poll timer: this CPU's physical timer in the Secure state (CNTP_*, Secure copy), PPI
 * ID 29 ("Secure physical timer": Arm DDI 0438, Cortex-A15 MPCore TRM, and DDI 0464, Cortex-A7,
 * "Generic Timer" interrupts; [QEMU] wires CPU timer output GTIMER_SEC there on virt).
 * Stays Secure (Group 0) under PSCI, like the wake-up.
 */
#define PLAT_POLL_TIMER_PPI 29
/*
 * ACTLR bits the Secure firmware sets for the OS [A15]: SMP (bit 6), the core takes part in
 * coherency before the OS turns its caches on; IBE (bit 0), BPIALL really invalidates the
 * branch predictor, which Linux's Spectre v2 mitigation relies on.
 */
#define PLAT_ACTLR_SET ((1U << 6) | (1U << 0))

#endif
