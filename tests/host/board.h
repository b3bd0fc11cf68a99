/* The simulated board of the host tests: eight CPUs in two clusters of four, no power control. */
#ifndef BOARD_HOST_SIM_H
#define BOARD_HOST_SIM_H

/*
 * Every macro include/muster/platform.h demands. Eight CPUs in two clusters so that the MPIDR to
 * index mapping is exercised across a cluster boundary (cpu5 is MPIDR 0x80000101), and so that a
 * mailbox mask of all eight CPUs still fits the coordinator's 32-bit masks.
 */
#define PLAT_NAME "host-sim"
#define PLAT_MAX_CPUS 8
#define PLAT_CORES_PER_CLUSTER 4
/* Cores leave reset with CPU0 (as on the vexpress-a9): no power hooks to implement, and no
 * board-specific Linux release mechanism (the smp/ code under test never hands CPUs to Linux). */
#define PLAT_HAS_CPU_POWER 0
#define PLAT_HAS_LINUX_SMP_PEN 0
/* plat_counter() counts microseconds, like plat_time_us(). */
#define PLAT_COUNTER_HZ 1000000

/* Address windows: never dereferenced on the host; plausible values keep format checks honest. */
#define PLAT_FLASH_BASE 0x00000000
#define PLAT_FLASH_SIZE 0x04000000
#define MUSTER_FLASH_BASE PLAT_FLASH_BASE
#define MUSTER_FLASH_SIZE 0x00040000
#define PLAT_RAM_BASE 0x60000000
#define PLAT_RAM_SIZE 0x04000000
#define MUSTER_RAM_BASE 0x63f00000
#define MUSTER_RAM_SIZE 0x00100000
#define PLAT_PAYLOAD_LOAD 0x60100000
#define PLAT_LINUX_DTB_ADDR 0x63000000
#define PLAT_LINUX_MACH_TYPE 0

#endif
