# vexpress-a15: build flags and QEMU settings.
PLAT_CFLAGS := -mcpu=cortex-a15 -marm -mfloat-abi=soft
PLAT_SRCS := platform/vexpress-a15/platform.c platform/common/pl011.c platform/common/v2m_syscfg.c platform/common/gicv2.c \
	platform/common/gentimer.c
QEMU_MACHINE := vexpress-a15
QEMU_MEM := 128M
QEMU_MAX_CPUS := 4
# Silence the PL041 audio codec's host-backend probing.
QEMU_QUIET := -audiodev none,id=snd0 -global pl041.audiodev=snd0
# The device tree Linux boots with (tests): Debian's, from the kernel package tools/fetch-linux.sh
# puts in build/linux/. It describes the tile's 1 GiB: the Linux tests give QEMU that much.
LINUX_DTB := vexpress-v2p-ca15-tc1.dtb
# The mode the OS starts in: the Cortex-A15's HYP, which QEMU's vexpress-a15 always models.
OS_ENTRY_MODE := HYP
# Linux CPU hotplug through muster's PSCI (tests/qemu/test_psci_linux.py): "<cpus>:<rounds>".
PSCI_HOTPLUG_ROUNDS := 4:160
# Linux powers this board off with its device tree's own driver (vexpress-poweroff, SYS_CFG), not
# PSCI SYSTEM_OFF: muster prints no PSCI summary at the end.
PSCI_LINUX_SYSTEM_OFF := no
