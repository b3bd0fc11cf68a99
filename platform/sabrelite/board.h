/* Boundary Devices SABRE Lite: NXP (Freescale) i.MX 6Quad, 4x Cortex-A9 MPCore, as QEMU's "sabrelite" models it. */
#ifndef BOARD_SABRELITE_H
#define BOARD_SABRELITE_H

/*
 * Sources:
 *  [RM]   NXP IMX6DQRM, i.MX 6Dual/6Quad Applications Processor Reference Manual: chapter 2
 *         "Memory Maps" (boot ROM at 0, OCRAM 256 KiB at 0x00900000, ARM MP at 0x00a00000, AIPS
 *         peripherals, MMDC DDR from 0x10000000); chapter 8 "System Boot" (the boot ROM loads an
 *         image with an IVT/DCD header into OCRAM or DDR; secondary cores start through the SRC);
 *         "System Reset Controller (SRC)" (SRC_SCR core enable bits and self-clearing core reset
 *         bits, SRC_GPR1..10); "Watchdog Timer (WDOG)" (WCR: WDE, SRS, WDA); "UART"; "CCM".
 *  [MP]   Arm DDI 0407: Cortex-A9 MPCore TRM: the private memory region (SCU +0, GIC CPU
 *         interface +0x100, global timer +0x200, distributor +0x1000), SCU configuration.
 *  [UB]   U-Boot include/configs/imx6_spl.h: how the boot ROM uses OCRAM (free from 0x00907000,
 *         a 4 KiB image header before the entry, its MMU tables at 0x00918000 when the fuses turn
 *         the caches on: an image there starts at 0x00908000 and has 64 KiB); tools/imximage.c.
 *  [LX]   Linux: arch/arm/mach-imx/src.c (imx_enable_cpu: SRC_SCR core enable with the core's
 *         reset bit; imx_set_cpu_jump: SRC_GPR1 + 8 * cpu), platsmp.c (the i.MX 6 starts its
 *         secondaries itself through the SRC), drivers/watchdog/imx2_wdt.c (restart: WCR = WDE,
 *         SRS and WDA asserted); imx6q-sabrelite.dtb (Debian's, in build/linux/): stdout-path is
 *         UART2, pinctrl uart1grp/uart2grp, 1 GiB of DDR at 0x10000000.
 *  [QEMU] QEMU 7.2 and 10.0 hw/arm/sabrelite.c and hw/arm/fsl-imx6.c (memory map, UART n on
 *         serial n-1, secondaries start powered off, unassigned accesses ignored), hw/misc/
 *         imx6_src.c (an SRC_SCR enable change powers the core on at its SRC_GPR entry in Secure
 *         SVC, or off; the core's reset bit is cleared afterwards from the core's own vCPU
 *         thread), target/arm/arm-powerctl.c, hw/timer/a9gtimer.c (10 ns per tick times
 *         prescaler + 1), hw/char/imx_serial.c, hw/watchdog/wdt_imx2.c. Checked on this machine
 *         with both (`info mtree -f`, runs): ROM 0x0-0x17fff, OCRAM 0x00900000-0x0093ffff,
 *         SCU/GIC/global timer at 0x00a00000, UART1 0x02020000, SRC 0x020d8000, WDOG1
 *         0x020bc000, RAM at 0x10000000 (-m up to 3.75 GiB), -smp 1..4, MPIDR 0x80000000..3.
 *  [GIC]  Arm IHI 0048: GIC architecture (the A9's interrupt controller is a GICv1).
 */
#define PLAT_NAME "sabrelite"
#define PLAT_MAX_CPUS 4          /* [RM] four Cortex-A9 cores on the 6Quad; [QEMU] -smp 1..4 */
#define PLAT_CORES_PER_CLUSTER 4 /* [MP] MPIDR Aff0 = 0..3, Aff1 = 0 ([QEMU] printed) */
/*
 * Only core 0 leaves reset; cores 1..3 stay in reset until software enables them in the SRC
 * ([RM] SRC, [LX] src.c; [QEMU] start-powered-off).
 */
#define PLAT_HAS_CPU_POWER 1
/*
 * Linux starts the i.MX 6's secondaries itself, from reset through the SRC ([LX] platsmp.c; the
 * SABRE Lite's device tree names no other method): muster holds its online secondaries in reset
 * before it starts Linux, and leaves the device tree's SMP method alone.
 */
#define PLAT_LINUX_STARTS_CORES 1

/*
 * muster itself: on-chip RAM, where the boot ROM puts an i.MX image (mkimage -T imximage, the
 * 4 KiB header at 0x00907000, the entry at 0x00908000) [RM] [UB]: 64 KiB that the ROM leaves
 * alone even when the fuses make it build MMU tables. Under QEMU (no boot ROM model) the generic
 * loader puts muster.bin at the same address and starts CPU0 there (platform.mk, README.md).
 * muster's vectors sit here too: start.S points VBAR at them (there is ROM at 0).
 */
#define MUSTER_FLASH_BASE 0x00908000
#define MUSTER_FLASH_SIZE 0x00010000

/* DDR through the MMDC at 0x10000000 [RM]; the SABRE Lite has 1 GiB [LX] ([QEMU] -m 1G). */
#define PLAT_RAM_BASE 0x10000000
#define PLAT_RAM_SIZE 0x04000000 /* the first 64 MiB: what a payload may use */
/* muster's RAM: the top 1 MiB of the first 64 MiB, as on the other boards: RAM every core sees. */
#define MUSTER_RAM_BASE 0x13f00000
#define MUSTER_RAM_SIZE 0x00100000

/*
 * The "flash window": 64 MiB of DDR just above the payload RAM, holding a flash image exactly
 * as tools/mkflash.py lays it out (settings at +256 KiB, payload at +512 KiB). Nothing on the
 * board maps flash into memory (its NOR is on SPI), so a loader fills it before muster runs:
 * QEMU's generic loader; on silicon, the boot ROM's serial download (or a first stage) that also
 * loads muster (README.md). Outside PLAT_RAM_*: payloads never load over it.
 */
#define PLAT_FLASH_BASE 0x14000000
#define PLAT_FLASH_SIZE 0x04000000

/* Cortex-A9 MPCore private memory region: PERIPHBASE [RM] "ARM MP" 0x00a00000; offsets [MP]. */
#define IMX6_A9_PERIPHBASE 0x00a00000
#define IMX6_SCU_BASE (IMX6_A9_PERIPHBASE + 0x0000)
#define IMX6_GICC_BASE (IMX6_A9_PERIPHBASE + 0x0100)
#define IMX6_GTIMER_BASE (IMX6_A9_PERIPHBASE + 0x0200)
#define IMX6_GICD_BASE (IMX6_A9_PERIPHBASE + 0x1000)
#define IMX6_SCU_CONFIG 0x04 /* [MP] SCU Configuration Register: bits [1:0] = CPUs - 1 */
/* GIC CPU interface number of CPU index i: i (the A9's interfaces follow MPIDR Aff0 [MP]). */

/*
 * Time: the A9 global timer, prescaler 0, so one tick per PERIPHCLK cycle. QEMU ticks it every
 * 10 ns (100 MHz) [QEMU]. On silicon PERIPHCLK is half the core clock ([MP]; [LX]
 * drivers/clk/imx/clk-imx6q.c, "twd" = "arm" / 2): 396 MHz with the core at 792 MHz. A hardware
 * build must set this to what its boot chain leaves (not checked on hardware here). 32 bits of it wrap after 42 s; plat_time_us reads all 64.
 */
#define IMX6_GTIMER_PRESCALER 0
#define PLAT_COUNTER_HZ 100000000

/*
 * Console. QEMU connects its first serial port to UART1 [QEMU]; the SABRE Lite's own console is
 * UART2 (the DB9 connector; the device tree's stdout-path, Linux's ttymxc1) [LX]. CONSOLE_UART=2
 * at make time builds for the board's connector; QEMU builds use UART1 (ttymxc0 for Linux).
 * Pads: the device tree's uart1grp / uart2grp (mux register, input select register and value,
 * mux mode) [LX]; QEMU does not model the IOMUXC, and ignores the writes [QEMU].
 */
#define IMX6_UART1_BASE 0x02020000
#define IMX6_UART2_BASE 0x021e8000
#ifndef SABRELITE_CONSOLE_UART
#define SABRELITE_CONSOLE_UART 1
#endif
#if SABRELITE_CONSOLE_UART == 1
#define SABRELITE_CONSOLE_BASE IMX6_UART1_BASE
#define SABRELITE_CONSOLE_TX_MUX 0x2a8 /* uart1grp: TX pad mux register, mode 1 */
#define SABRELITE_CONSOLE_RX_MUX 0x2ac /* RX pad mux register, mode 1 */
#define SABRELITE_CONSOLE_MUX_MODE 1
#define SABRELITE_CONSOLE_RX_SELECT 0x920 /* UART1 RX daisy chain: input 3 */
#define SABRELITE_CONSOLE_RX_INPUT 3
#elif SABRELITE_CONSOLE_UART == 2
#define SABRELITE_CONSOLE_BASE IMX6_UART2_BASE
#define SABRELITE_CONSOLE_TX_MUX 0x0bc /* uart2grp: TX pad mux register, mode 4 */
#define SABRELITE_CONSOLE_RX_MUX 0x0c0 /* RX pad mux register, mode 4 */
#define SABRELITE_CONSOLE_MUX_MODE 4
#define SABRELITE_CONSOLE_RX_SELECT 0x928 /* UART2 RX daisy chain: input 1 */
#define SABRELITE_CONSOLE_RX_INPUT 1
#else
#error "SABRELITE_CONSOLE_UART is 1 (QEMU's first serial port) or 2 (the SABRE Lite's DB9)"
#endif
#define IMX6_IOMUXC_BASE 0x020e0000
#define IMX6_UART_CLK_HZ 80000000 /* [RM] CCM: uart_clk_root, PLL3 480 MHz / 6; [QEMU] ignores the divisor */
/* [RM] CCM_CCGR5: uart_clk (CG12) and uart_serial_clk (CG13) on in every mode. */
#define IMX6_CCM_CCGR5 0x020c407c
#define IMX6_CCGR5_UART_ON 0x0f000000U

/* System Reset Controller [RM] [QEMU]: core enable and reset bits, per-core entry registers. */
#define IMX6_SRC_BASE 0x020d8000
/*
 * How long a core's change is given to be confirmed by its self-clearing reset bit. The manual
 * gives no figure; QEMU confirms once the core's vCPU thread has run the change (0.1 to 8 ms
 * measured here, 7.2 and 10 on a loaded 2-core host), so half a second leaves a wide margin. An
 * unconfirmed hold counts as no hold (platform.c).
 */
#define SABRELITE_SRC_WAIT_US 500000U

/* Watchdog 1 [RM] [QEMU]: a software reset through WCR, as Linux's imx2_wdt restarts the board. */
#define IMX6_WDOG1_BASE 0x020bc000
#define IMX6_WDOG_WCR 0x00        /* 16-bit register */
#define IMX6_WCR_WDE (1U << 2)    /* watchdog enable */

/* Interrupt wake-up of parked secondaries: SGI number used by muster [GIC] (any of 0..15). */
#define PLAT_WAKE_SGI 0

/*
 * The pen's poll timer: each core's private timer at PERIPHBASE + 0x600, interrupt ID 29 [MP]
 * (4.1, 4.2; [QEMU] hw/cpu/a9mpcore.c). It counts PERIPHCLK with prescaler 0; QEMU ticks it
 * every 10 ns (100 MHz) [QEMU hw/timer/arm_mptimer.c]. On silicon PERIPHCLK is half the core clock
 * (396 MHz with the cores at 792 MHz), so a poll comes sooner than asked there, never later.
 */
#define IMX6_PTIMER_BASE (IMX6_A9_PERIPHBASE + 0x0600)
#define IMX6_PTIMER_HZ 100000000
#define PLAT_POLL_TIMER_PPI 29

#endif
