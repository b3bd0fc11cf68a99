/* The host tests' board with a power controller: four CPUs, only CPU0 out of reset at power-on. */
#ifndef BOARD_HOST_POWER_H
#define BOARD_HOST_POWER_H

/*
 * Every macro include/muster/platform.h demands, for tests/host/test_power.c: the coordinator's
 * power-state tracking (include/muster/smp.h) and the hooks it calls (platform.h), against a
 * fake power controller whose confirmations the tests choose.
 */
#define PLAT_NAME "host-power"
#define PLAT_MAX_CPUS 4
#define PLAT_CORES_PER_CLUSTER 4
#define PLAT_HAS_CPU_POWER 1
#define PLAT_HAS_LINUX_SMP_PEN 0
#define PLAT_COUNTER_HZ 1000000

/* Address windows: never dereferenced on the host. */
#define PLAT_FLASH_BASE 0x00000000
#define PLAT_FLASH_SIZE 0x04000000
#define MUSTER_FLASH_BASE 0x00900000
#define MUSTER_FLASH_SIZE 0x00010000
#define PLAT_RAM_BASE 0x10000000
#define PLAT_RAM_SIZE 0x04000000
#define MUSTER_RAM_BASE 0x13f00000
#define MUSTER_RAM_SIZE 0x00100000

#endif
