/* Arm Versatile Express V2P-CA15 (CoreTile Express A15x2 on the V2M-P1 motherboard, "Cortex-A Series" map). */
#ifndef BOARD_VEXPRESS_A15_H
#define BOARD_VEXPRESS_A15_H

/*
 * Sources:
 *  [CT]   Arm CoreTile Express A15x2 (V2P-CA15) TRM: daughterboard memory map, PERIPHBASE
 *         0x2c000000, DDR at 0x80000000.
 *  [MB]   Arm DUI 0447: Motherboard Express uATX (V2M-P1) TRM, "Cortex-A Series" memory map
 *         (CS0..CS3), system registers (4.3) and the SYS_CFG controller (4.3.17).
 *  [A15]  Arm DDI 0438: Cortex-A15 MPCore TRM: L2CTLR, and the GIC inside the private
 *         memory region (distributor at +0x1000, CPU interface at +0x2000).
 *  [GIC]  Arm IHI 0048B: GIC architecture v2, distributor and CPU interface registers.
 *  [GT]   Arm DDI 0406C chapter B8: the Generic Timer (CNTPCT, CNTFRQ).
 *  [QEMU] QEMU 7.2 hw/arm/vexpress.c (motherboard_aseries_map, a15_daughterboard_init),
 *         hw/cpu/a15mpcore.c, target/arm (generic timer) and `info mtree`, checked on this
 *         machine: flash0 at 0x08000000 aliased at 0, RAM at 0x80000000 (128 MiB by default),
 *         GIC at 0x2c001000/0x2c002000, MPIDR 0x80000000..0x80000003, CNTFRQ 62500000.
 */
#define PLAT_NAME "vexpress-a15"
/* [CT] two cores on the CoreTile; QEMU allows -smp 1..4 (one A15 cluster, L2CTLR [25:24]). */
#define PLAT_MAX_CPUS 4
#define PLAT_CORES_PER_CLUSTER 4 /* [A15] MPIDR Aff0 = CPU 0..3, Aff1 = cluster 0 ([QEMU] printed) */
#define PLAT_HAS_CPU_POWER 0     /* all cores leave reset together and run from 0 ([QEMU]) */
/*
 * QEMU's vexpress has the Security and Virtualization Extensions on by default ([QEMU]
 * "secure", "virtualization"), as the A15 has [A15]: muster is the Secure firmware and offers
 * PSCI 1.0 over SMC to a Linux whose DTB asks for it.
 */
#define PLAT_HAS_PSCI 1

/* NOR flash 0 (CS0) at 0x08000000 [MB], aliased at 0 so it holds the reset vector [QEMU]. */
#define PLAT_FLASH_BASE 0x00000000
#define PLAT_FLASH_SIZE 0x04000000 /* 64 MiB [QEMU] VEXPRESS_FLASH_SIZE */
/* muster's own part of the flash: the first 256 KiB erase block [QEMU] VEXPRESS_FLASH_SECT_SIZE. */
#define MUSTER_FLASH_BASE PLAT_FLASH_BASE
#define MUSTER_FLASH_SIZE 0x00040000

/* DDR at 0x80000000 [CT]; QEMU has no low alias for it [QEMU]. */
#define PLAT_RAM_BASE 0x80000000
#define PLAT_RAM_SIZE 0x04000000 /* the first 64 MiB: what every -m >= 64M provides */
/* muster's RAM: the top 1 MiB of the first 64 MiB, clear of a Linux kernel at the bottom. */
#define MUSTER_RAM_BASE 0x83f00000
#define MUSTER_RAM_SIZE 0x00100000
/*
 * Not Secure: QEMU's vexpress-a15 has no Secure-only RAM and models no TrustZone address-space
 * controller ([QEMU] `info mtree`: both worlds' address spaces are the same system memory), so
 * this RAM and the NOR flash muster runs from are Non-secure memory. A Non-secure OS that writes
 * them can hang the Secure monitor or take over its control flow; /memreserve/ only asks it not
 * to. The banner and docs/psci.md say so. A board with a TZASC sets PLAT_HAS_TZASC (porting.md).
 */
#define PLAT_MUSTER_MEMORY_SECURE 0

/* Cortex-A15 private memory region: PERIPHBASE [CT] (QEMU's reset CBAR), GIC offsets [A15]. */
#define A15_PERIPHBASE 0x2c000000
#define A15_GICD_BASE (A15_PERIPHBASE + 0x1000)
#define A15_GICC_BASE (A15_PERIPHBASE + 0x2000)
/*
 * GIC CPU interface number of CPU index i: i. The A15's internal GIC numbers its interfaces by
 * the core's position in the cluster (MPIDR Aff0) [A15], and index = Aff0 on this one-cluster
 * board, so an SGI's CPUTargetList bit is the index itself.
 */

/* Motherboard peripherals, "Cortex-A Series" map [MB], as QEMU places them [QEMU]. */
#define V2M_SYSREGS_BASE 0x1c010000
#define V2M_UART0_BASE 0x1c090000 /* PL011 */
#define V2M_UART_CLK_HZ 24000000  /* [MB] OSC2, the UART reference clock */
/* The console PL011, for payloads that print to it directly (the PSCI test payload). */
#define PLAT_CONSOLE_PL011_BASE V2M_UART0_BASE

/*
 * Time: the generic timer's physical counter. QEMU 7.2 ticks it at 62.5 MHz (one tick per
 * 16 ns, the CPU's "cntfrq" property default) and resets CNTFRQ to that [QEMU]; the real
 * CoreTile feeds its system counter from a different reference clock, so on hardware this
 * must follow the board. muster writes CNTFRQ on every core from this value [GT].
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
 * "Generic Timer" interrupts; [QEMU] wires CPU timer output GTIMER_SEC there on vexpress-a15).
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
