# vexpress-a9: build flags and QEMU settings.
PLAT_CFLAGS := -mcpu=cortex-a9 -marm -mfloat-abi=soft
PLAT_SRCS := platform/vexpress-a9/platform.c platform/common/pl011.c platform/common/v2m_syscfg.c platform/common/gicv2.c platform/common/a9_ptimer.c \
	platform/common/sp804.c platform/vexpress-a9/linux_pen.S
QEMU_MACHINE := vexpress-a9
QEMU_MEM := 1024M
QEMU_MAX_CPUS := 4
# Silence the PL041 audio codec's host-backend probing.
QEMU_QUIET := -audiodev none,id=snd0 -global pl041.audiodev=snd0
# The device tree Linux boots with (tests): Debian's, from the kernel package tools/fetch-linux.sh
# puts in build/linux/.
LINUX_DTB := vexpress-v2p-ca9.dtb
