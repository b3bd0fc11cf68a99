/* Arm Versatile Express V2P-CA9 (CoreTile Express A9x4 on the V2M-P1 motherboard, "legacy" map). */
#ifndef BOARD_VEXPRESS_A9_H
#define BOARD_VEXPRESS_A9_H

/*
 * Sources:
 *  [CT]   Arm DUI 0448: CoreTile Express A9x4 TRM, memory map and private peripheral base.
 *  [MB]   Arm DUI 0447: Motherboard Express uATX (V2M-P1) TRM, "legacy" memory map,
 *         system registers (4.3) and SP810/SP804 clocking.
 *  [MP]   Arm DDI 0407: Cortex-A9 MPCore TRM, SCU and private memory region offsets.
 *  [GIC]  Arm IHI 0048: GIC architecture v1/v2, distributor and CPU interface registers.
 *  [QEMU] QEMU 7.2 hw/arm/vexpress.c (a9 daughterboard, legacy map) and `info mtree`,
 *         checked on this machine: flash alias at 0, RAM at 0x60000000, 128 MiB by default.
 */
#define PLAT_NAME "vexpress-a9"
#define PLAT_MAX_CPUS 4          /* [CT] four Cortex-A9 cores, one cluster */
#define PLAT_CORES_PER_CLUSTER 4 /* [MP] MPIDR Aff0 = 0..3, Aff1 = cluster ID 0 */
#define PLAT_HAS_CPU_POWER 0     /* all cores leave reset together ([QEMU], [CT]) */

/* NOR flash 0 (CS0) aliased at 0 on reset [MB] table 4-2; 64 MiB [QEMU]. */
#define PLAT_FLASH_BASE 0x00000000
#define PLAT_FLASH_SIZE 0x04000000
/* muster's own part of the flash: the first 256 KiB erase block [QEMU] sector size. */
#define MUSTER_FLASH_BASE PLAT_FLASH_BASE
#define MUSTER_FLASH_SIZE 0x00040000

/* DDR at 0x60000000 [CT]; QEMU also aliases its first 64 MiB at 0, behind the flash [QEMU]. */
#define PLAT_RAM_BASE 0x60000000
#define PLAT_RAM_SIZE 0x04000000 /* the first 64 MiB: what every -m >= 64M provides */
/* muster's RAM: the top 1 MiB of the first 64 MiB, clear of a Linux kernel at the bottom. */
#define MUSTER_RAM_BASE 0x63f00000
#define MUSTER_RAM_SIZE 0x00100000

/* Cortex-A9 MPCore private memory region, PERIPHBASE [CT] 0x1e000000; offsets [MP] 1.5. */
#define A9_PERIPHBASE 0x1e000000
#define A9_SCU_BASE (A9_PERIPHBASE + 0x0000)
#define A9_GICC_BASE (A9_PERIPHBASE + 0x0100)
#define A9_GICD_BASE (A9_PERIPHBASE + 0x1000)
#define A9_SCU_CONFIG 0x04 /* [MP] SCU Configuration Register: bits [1:0] = CPUs - 1 */

/* Motherboard peripherals, legacy map [MB] table 4-3. */
#define V2M_SYSREGS_BASE 0x10000000
#define V2M_SYS_FLAGSSET 0x30  /* [MB] 4.3.8: boot flags, written by Linux's vexpress SMP code */
#define V2M_SYS_FLAGSCLR 0x34
#define V2M_SP810_BASE 0x10001000 /* [MB] system controller: selects SP804 reference clocks */
#define V2M_SP810_SCCTRL 0x00
#define V2M_SP810_TIMER0_1MHZ (1U << 15) /* TimerEn0Sel: TIMCLK (1 MHz) instead of REFCLK (32 kHz) */
#define V2M_UART0_BASE 0x10009000 /* PL011 */
#define V2M_UART_CLK_HZ 24000000  /* [MB] OSC2, the UART reference clock */
#define V2M_TIMER01_BASE 0x10011000 /* SP804 dual timer 0/1 */
#define V2M_TIMER_HZ 1000000        /* [MB] TIMCLK; [QEMU] models 1 MHz */
#define PLAT_COUNTER_HZ V2M_TIMER_HZ

/* Payload placement in RAM (muster's convention; make flash writes the same numbers). */
#define PLAT_PAYLOAD_LOAD 0x60100000   /* standalone payloads link here */
#define PLAT_LINUX_LOAD 0x60008000     /* zImage: RAM base + 32 KiB (Linux Documentation/arm/booting) */
#define PLAT_LINUX_INITRD_ADDR 0x62000000
#define PLAT_LINUX_DTB_ADDR 0x63000000
#define PLAT_LINUX_MACH_TYPE 2272       /* MACH_TYPE_VEXPRESS, arch/arm/tools/mach-types */
#define PLAT_HAS_LINUX_SMP_PEN 1        /* SYS_FLAGS + IPI, arch/arm/mach-versatile/platsmp-vexpress.c */

/* Interrupt wake-up of parked secondaries: SGI number used by muster [GIC] (any of 0..15). */
#define PLAT_WAKE_SGI 0

/*
 * The pen's poll timer: each core's private timer at PERIPHBASE + 0x600, interrupt ID 29 [MP]
 * (4.1, 4.2; [QEMU] hw/cpu/a9mpcore.c). It counts PERIPHCLK with prescaler 0; QEMU ticks it
 * every 10 ns (100 MHz) [QEMU hw/timer/arm_mptimer.c]. On silicon PERIPHCLK is half the core clock
 * (200 MHz on the CoreTile's 400 MHz cores), so a poll comes sooner than asked there, never later.
 */
#define A9_PTIMER_BASE (A9_PERIPHBASE + 0x0600)
#define A9_PTIMER_HZ 100000000
#define PLAT_POLL_TIMER_PPI 29

#endif
