# orangepi-pc (Allwinner H3, QEMU 7.2 "orangepi-pc"): build flags and QEMU settings.
# Power-off under QEMU: nothing on this machine exits QEMU (no PSCI for EL3 firmware, no
# watchdog model in 7.2, PRCM unimplemented), so QEMU builds end with semihosting SYS_EXIT;
# hardware builds (SEMIHOSTING_EXIT=0, and every RELEASE=1 build) halt instead, as the board
# has no software power switch.
SEMIHOSTING_EXIT ?= $(if $(RELEASE),0,1)
ifneq ($(RELEASE),)
ifneq ($(SEMIHOSTING_EXIT),0)
$(error a release build cannot use the QEMU-only semihosting exit (SEMIHOSTING_EXIT=$(SEMIHOSTING_EXIT)))
endif
endif
PLAT_CFLAGS := -mcpu=cortex-a7 -marm -mfloat-abi=soft -DOPI_SEMIHOSTING_EXIT=$(SEMIHOSTING_EXIT)
PLAT_SRCS := platform/orangepi-pc/platform.c platform/common/ns16550.c platform/common/gicv2.c \
	platform/common/gentimer.c platform/common/sunxi_timer.c platform/common/sunxi_cpucfg.c \
	platform/common/semihosting.c
QEMU_MACHINE := orangepi-pc
# The board's 1 GiB (QEMU's default and maximum); the flash window needs 128 MiB at least.
QEMU_MEM := 1G
# QEMU's orangepi-pc has exactly 4 cores: -smp 1..3 are refused ("min CPUs ... is 4").
QEMU_MAX_CPUS := 4
QEMU_MIN_CPUS := 4
# Lets plat_system_off() end QEMU (see above); harmless for a build without the switch.
QEMU_QUIET := -semihosting-config enable=on,target=native
# How muster boots here: no NOR flash, no -bios (board.h, "flash window"). QEMU_FLASH = loader
# tells the harness and `make run` to use QEMU's generic loader instead of
# -drive if=pflash / -bios: the flash image's first MUSTER_FLASH_SIZE bytes (muster) into SRAM A1
# at MUSTER_FLASH_BASE, where CPU0 starts, and the whole image at PLAT_FLASH_BASE in DRAM.
QEMU_FLASH := loader
# -kernel muster.elf also works: QEMU puts the ELF's segments at their physical addresses (SRAM A1)
# and starts CPU0 at its entry; settings and payload then go to PLAT_FLASH_BASE + 0x40000.
QEMU_KERNEL_BOOT := yes
# plat_system_reset() uses the H3 watchdog, which QEMU models from 8.0 on (hw/watchdog/allwinner-wdt.c).
QEMU_RESET_SINCE := 8
# A build whose power-off leaves QEMU running (it halts), for tests that reset the machine
# after power-off with -no-shutdown: semihosting's exit would end QEMU regardless.
QEMU_STAY_UP_VARS := SEMIHOSTING_EXIT=0
