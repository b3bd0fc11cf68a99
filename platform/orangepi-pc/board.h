/* Xunlong Orange Pi PC (Allwinner H3: 4x Cortex-A7, GIC-400), as QEMU 7.2's "orangepi-pc" models it. */
#ifndef BOARD_ORANGEPI_PC_H
#define BOARD_ORANGEPI_PC_H

/*
 * Sources:
 *  [H3]   Allwinner H3 Datasheet V1.2: "Memory Mapping", "CCU" (Bus Clock Gating Register 3,
 *         Bus Software Reset Register 4), "Timer" (and its watchdog), "UART", "Port Controller".
 *  [UB]   U-Boot: arch/arm/cpu/armv7/sunxi/psci.c (psci_cpu_on for MACH_SUN8I_H3: soft entry in
 *         CPUCFG priv0, reset, PRCM clamp and power gating), arch/arm/include/asm/arch-sunxi
 *         (cpu_sun4i.h: SUNXI_CPUCFG_BASE 0x01f01c00, SUNXI_PRCM_BASE 0x01f01400; clock_sun6i.h:
 *         the UART gates), and its sunxi COUNTER_FREQUENCY, 24000000 (the arch timer's OSC24M).
 *  [LX]   Linux: arch/arm/mach-sunxi/platsmp.c (sun6i_smp_boot_secondary, the same sequence),
 *         arch/arm/boot/dts/sun8i-h3.dtsi (cpu@0..3 reg 0..3: MPIDR Aff0), drivers/watchdog/
 *         sunxi_wdt.c (the sun6i register layout the H3 uses).
 *  [QEMU] QEMU 7.2 hw/arm/allwinner-h3.c (allwinner_h3_memmap[], secondaries "start-powered-off",
 *         GIC-400 with num-cpu 4 and no security extensions, UART0 16550 with regshift 2,
 *         allwinner_h3_bootrom_setup(): 32 KiB from SD offset 8 KiB into SRAM A1),
 *         hw/arm/orangepi.c (exactly 4 CPUs, RAM at 0x40000000, at most 1 GiB, timer clk1 24 MHz),
 *         hw/misc/allwinner-cpucfg.c (a non-zero write to CPUn_RST_CTRL starts core n at the
 *         soft entry in Secure SVC; a zero write does nothing), hw/timer/allwinner-a10-pit.c.
 *         Checked on this machine (`info mtree -f`, probes): SRAM A1 0x0-0xffff, SRAM C
 *         0x10000, SRAM A2 0x44000, UART0 0x01c28000, timer 0x01c20c00, GIC 0x01c81000/
 *         0x01c82000, R_PRCM 0x01f01400 and R_WDOG 0x01f01000 unimplemented, CPUCFG 0x01f01c00,
 *         RAM 0x40000000; MPIDR 0x80000000..0x80000003; GICD_TYPER 0x64 (4 CPU interfaces);
 *         CNTFRQ 62500000 on every core; -smp other than 4 refused.
 *  [GIC]  Arm IHI 0048B: GIC architecture v2.   [GT] Arm DDI 0406C chapter B8: the Generic Timer.
 */
#define PLAT_NAME "orangepi-pc"
#define PLAT_MAX_CPUS 4          /* [H3] four Cortex-A7 cores; [QEMU] always 4 */
#define PLAT_CORES_PER_CLUSTER 4 /* [LX] MPIDR Aff0 = 0..3, Aff1 = 0 ([QEMU] printed) */
/*
 * Only CPU0 leaves reset; the others stay powered down until firmware starts them through the
 * PRCM and the CPU configuration block ([UB], [LX]; [QEMU] start-powered-off).
 */
#define PLAT_HAS_CPU_POWER 1

/*
 * No memory-mapped flash. muster runs from SRAM A1 at 0, where CPU0 starts ([H3] memory map,
 * 64 KiB; [QEMU] CPU0's reset PC is 0 when no -kernel is given). The boot ROM path (an eGON image from SD, [QEMU] 32 KiB) cannot carry
 * muster (size.txt: more than 32 KiB), so a loader puts it there: QEMU's -kernel muster.elf or
 * -device loader (tests), an SPL on a real board.
 */
#define MUSTER_FLASH_BASE 0x00000000
#define MUSTER_FLASH_SIZE 0x00010000 /* all of SRAM A1 */

/* DRAM at 0x40000000 [H3] [QEMU]; the Orange Pi PC has 1 GiB, QEMU's default and maximum. */
#define PLAT_RAM_BASE 0x40000000
#define PLAT_RAM_SIZE 0x04000000 /* the first 64 MiB: what a payload may use */
/*
 * muster's RAM: the top 1 MiB of the first 64 MiB, as on the other boards. It must be RAM every
 * core sees at once (the mailbox), and above the payload (payload/payload.ld.S). On hardware
 * DRAM works only after the controller is trained: the SPL that loads muster does that.
 */
#define MUSTER_RAM_BASE 0x43f00000
#define MUSTER_RAM_SIZE 0x00100000

/*
 * The "flash window": a 64 MiB block of DRAM just above the payload RAM, filled before muster
 * runs with a flash image exactly as tools/mkflash.py lays it out for NOR boards: muster.bin at
 * +0 (what the loader copies into SRAM A1), the settings record at +256 KiB, the uImage payload
 * at +512 KiB. The loader here is QEMU's `-device loader,file=flash-demo.img,addr=0x44000000,
 * force-raw=on` (or only the part from +256 KiB, behind -kernel muster.elf); on a real board, the
 * SPL reading the same image from SD. Payloads can never load over it (it is outside
 * PLAT_RAM_*), and it needs -m 128M or more.
 */
#define PLAT_FLASH_BASE 0x44000000
#define PLAT_FLASH_SIZE 0x04000000

/* GIC-400 [H3] memory map; [QEMU] AW_H3_DEV_GIC_DIST, AW_H3_DEV_GIC_CPU. */
#define H3_GICD_BASE 0x01c81000
#define H3_GICC_BASE 0x01c82000
/*
 * GIC CPU interface number of CPU index i: i. The GIC-400's interfaces follow the cluster's
 * core numbers (MPIDR Aff0), which are the indices on this one-cluster SoC, so an SGI's
 * CPUTargetList bit is the index itself ([QEMU] wires GIC output i to cpu i).
 */

/* UART0 [H3]: a 16550-compatible DesignWare UART, registers 4 bytes apart ([QEMU] regshift 2). */
#define H3_UART0_BASE 0x01c28000
#define H3_UART_REG_SHIFT 2
#define H3_UART_CLK_HZ 24000000 /* [H3] APB2 from OSC24M after reset; [QEMU] ignores the divisor */
/* [H3] CCU: UART0's bus clock gate and reset (bit 16 of each); [UB] clock_sun6i.h. */
#define H3_CCU_BASE 0x01c20000
#define H3_CCU_BUS_CLK_GATING3 0x06c
#define H3_CCU_BUS_SOFT_RST4 0x2d8
#define H3_CCU_UART0_BIT (1U << 16)
/* [H3] Port Controller: PA4 = UART0_TX, PA5 = UART0_RX in function 2 (PA_CFG0 bits [18:16], [22:20]). */
#define H3_PIO_BASE 0x01c20800
#define H3_PIO_PA_CFG0 0x000
#define H3_PA4_PA5_MASK 0x00770000U
#define H3_PA4_PA5_UART0 0x00220000U

/*
 * Time: Timer 0 of the timer block [H3], from OSC24M divided by 8, a 3 MHz up-counter that wraps
 * every 23.8 minutes (CPU0's plat_time_us extends it). Not the generic counter: the H3 feeds it
 * 24 MHz [UB] but QEMU 7.2 ticks it at 62.5 MHz [QEMU], and muster's own clock must be right in
 * both; the timer block sees 24 MHz in both ([QEMU] orangepi.c clk1-freq, checked here).
 */
#define H3_TIMER_BASE 0x01c20c00
#define H3_TIMER_MUSTER 0         /* Timer 0 */
#define H3_TIMER_PRESCALE_LOG2 3  /* OSC24M / 8 */
#define H3_OSC24M_HZ 24000000
#define PLAT_COUNTER_HZ (H3_OSC24M_HZ >> H3_TIMER_PRESCALE_LOG2)

/*
 * Core power: R_CPUCFG and R_PRCM [UB] [LX] (not in the datasheet's register chapters).
 * [QEMU] models the CPUCFG block (soft entry, and a reset release starts the core) and leaves
 * the PRCM unimplemented (writes ignored): the power clamp and gating steps are for hardware.
 */
#define H3_CPUCFG_BASE 0x01f01c00
#define H3_PRCM_BASE 0x01f01400

/*
 * Watchdog 0 [H3] "Timer" chapter, sun6i layout [LX]: what plat_system_reset() uses. QEMU 7.2
 * does not model it (the writes land in the A10 timer model as bad offsets, checked here); later
 * QEMU versions add an allwinner-wdt at this address.
 */
#define H3_WDOG0_BASE 0x01c20ca0
#define H3_WDOG_CFG 0x14
#define H3_WDOG_MODE 0x18
#define H3_WDOG_CFG_SYSTEM_RESET 0x1U /* the whole system, not just an interrupt */
#define H3_WDOG_MODE_EN 0x1U          /* interval field [7:4] left 0: the shortest, 0.5 s */

/* Interrupt wake-up of parked secondaries: SGI number used by muster [GIC] (any of 0..15). */
#define PLAT_WAKE_SGI 0

/*
 * The pen's poll timer: this CPU's physical timer in the Secure state (CNTP_*, Secure copy), PPI
 * ID 29 ("Secure physical timer": Arm DDI 0438, Cortex-A15 MPCore TRM, and DDI 0464, Cortex-A7,
 * "Generic Timer" interrupts; [QEMU] wires CPU timer output GTIMER_SEC there on orangepi-pc).
 * Stays Secure (Group 0) under PSCI, like the wake-up.
 */
#define PLAT_POLL_TIMER_PPI 29

#endif
