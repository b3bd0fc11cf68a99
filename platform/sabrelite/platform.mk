# sabrelite (NXP i.MX 6Quad, QEMU "sabrelite", 7.2 and 10): build flags and QEMU settings.
# Power-off under QEMU: nothing on this machine exits QEMU (no PMIC, no PSCI for EL3 firmware), so
# QEMU builds end with semihosting SYS_EXIT; hardware builds (SEMIHOSTING_EXIT=0, and every
# RELEASE=1 build) halt instead, as the board has no software power switch.
SEMIHOSTING_EXIT ?= $(if $(RELEASE),0,1)
ifneq ($(RELEASE),)
ifneq ($(SEMIHOSTING_EXIT),0)
$(error a release build cannot use the QEMU-only semihosting exit (SEMIHOSTING_EXIT=$(SEMIHOSTING_EXIT)))
endif
endif
# The console: UART1, QEMU's first serial port; CONSOLE_UART=2 for the SABRE Lite's DB9 (board.h).
CONSOLE_UART ?= 1
PLAT_CFLAGS := -mcpu=cortex-a9 -marm -mfloat-abi=soft -DSABRELITE_SEMIHOSTING_EXIT=$(SEMIHOSTING_EXIT) \
	-DSABRELITE_CONSOLE_UART=$(CONSOLE_UART)
PLAT_SRCS := platform/sabrelite/platform.c platform/common/imx_uart.c platform/common/gicv2.c platform/common/a9_ptimer.c \
	platform/common/a9_gtimer.c platform/common/imx6_src.c platform/common/semihosting.c
QEMU_MACHINE := sabrelite
# The board's 1 GiB; the flash window needs 384 MiB at least (board.h).
QEMU_MEM := 1G
QEMU_MAX_CPUS := 4
# Lets plat_system_off() end QEMU (see above); harmless for a build without the switch.
QEMU_QUIET := -semihosting-config enable=on,target=native
# No memory-mapped flash and no boot ROM model: QEMU's generic loader puts muster.bin at
# MUSTER_FLASH_BASE in OCRAM and starts CPU0 there, and the whole flash image at PLAT_FLASH_BASE.
QEMU_FLASH := loader
# plat_system_reset() uses watchdog 1 (hw/watchdog/wdt_imx2.c), checked on QEMU 7.2 and 10.
QEMU_RESET_SINCE := 7
# The SRC model holds a core in reset and restarts it (7.2 and 10, hw/misc/imx6_src.c): the
# hold-and-retry tests apply (a board without it says no, or leaves this out).
QEMU_CPU_HOLD := yes
# A build whose power-off leaves QEMU running (it halts), for tests that reset the machine after
# power-off with -no-shutdown: semihosting's exit would end QEMU regardless.
QEMU_STAY_UP_VARS := SEMIHOSTING_EXIT=0
# Linux: Debian's armmp kernel with the board's device tree from the same package, its console on
# UART1 (QEMU's first serial port).
LINUX_DTB := imx6q-sabrelite.dtb
LINUX_CONSOLE := ttymxc0
