# virt (secure=on, Cortex-A15): build flags and QEMU settings.
PLAT_CFLAGS := -mcpu=cortex-a15 -marm -mfloat-abi=soft
PLAT_SRCS := platform/virt/platform.c platform/common/pl011.c platform/common/gicv2.c \
	platform/common/gentimer.c platform/common/pl061.c
# secure=on: CPUs start Secure at 0 from flash 0, QEMU's own PSCI is off, the Secure RAM and
# the Secure GPIO that powers off exist. virtualization=on: the Cortex-A15's HYP mode (EL2) and
# the GIC's virtualization interface, as real A15/A7 parts have them; muster hands the OS over in
# HYP, which a hypervisor (Xen) needs and Linux uses for KVM.
QEMU_MACHINE := virt,secure=on,virtualization=on
# The mode the OS starts in (muster's PSCI handoff; tests check Linux's "started in ... mode").
OS_ENTRY_MODE := HYP
# Debian's armhf Xen runs here under QEMU (tests/qemu/test_xen.py).
QEMU_XEN := yes
QEMU_MEM := 128M
QEMU_MAX_CPUS := 8
# -cpu belongs with the machine, but the harness builds `-M $(QEMU_MACHINE)` and has no CPU
# slot: virt's default CPU for qemu-system-arm is cortex-a15 too, this only pins it.
QEMU_QUIET := -cpu cortex-a15
# -kernel cannot boot muster here: QEMU loads the ELF into the Non-secure address space, where the
# Secure flash at 0 does not exist, and holds the secondaries off under its own PSCI. For a test
# harness, which skips -kernel boots where this says no.
QEMU_KERNEL_BOOT := no
# The device tree Linux boots with (tests): QEMU generates virt's, per CPU count and memory; this
# script dumps it (`tools/virt-dtb.sh CPUS OUT.dtb [MEM]`).
LINUX_DTB := tools/virt-dtb.sh
# An unmapped address where QEMU's virt answers an access with an abort (the console test of md/mw
# reports it); vexpress and the others ignore such accesses and leave this out.
QEMU_ABORT_ADDR := 0x0c000000
# The Linux CPU_ON failure tests (tests/qemu/test_psci_faults.py) run on this PSCI board only: one
# is enough for those paths, which are generic.
PSCI_LINUX_FAULTS := yes
# Linux CPU hotplug through muster's PSCI (tests/qemu/test_psci_linux.py): rounds of the loop per
# CPU count, "<cpus>:<rounds>". With the other PSCI boards' they make at least 1000 offline/online
# cycles; one takes about 60-110 ms of wall time under TCG here with 4 CPUs, 150-250 ms with 8.
PSCI_HOTPLUG_ROUNDS := 4:120 8:20
