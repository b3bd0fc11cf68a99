#!/usr/bin/env bash
# The device tree of QEMU's virt machine as muster runs it (platform.mk's QEMU_MACHINE), for `make flash DTB=...`.
#
# Usage: tools/virt-dtb.sh CPUS OUT.dtb [MEM]      (MEM: QEMU -m, default 128M as platform/virt/platform.mk)
#
# QEMU generates virt's device tree itself; it depends on -smp (CPU nodes, the timer's and GIC's CPU masks)
# and -m (the memory node), so dump it with the same values the board will run with. It also depends on
# whether firmware is loaded: with firmware (muster in flash) QEMU turns its own PSCI off and places the PCIe
# ECAM window low (0x3f000000), without firmware it is at 0x4010000000 and every CPU says enable-method
# "psci" (QEMU's HVC PSCI). A stand-in firmware file is therefore given with -bios, so the dump describes the
# machine muster boots. mkflash.py then adds the /psci node for muster's PSCI (SMC) and the enable-methods.
set -Eeuo pipefail

die() {
	echo "virt-dtb: error: $*" >&2
	exit 1
}

[[ $# -eq 2 || $# -eq 3 ]] || die "usage: $0 CPUS OUT.dtb [MEM]"
cpus=$1 out=$2 mem=${3:-128M}
[[ $cpus =~ ^[1-8]$ ]] || die "CPUS must be 1..8 (GICv2), not '$cpus'"
# The QEMU that will run the machine: $QEMU, else the one the tests and `make run` use (>= 10).
qemu=${QEMU:-$(bash "$(dirname "$0")/get-qemu.sh")}
command -v "$qemu" >/dev/null 2>&1 || die "$qemu is missing (tools/install-deps.sh installs qemu-system-arm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Any file loaded as firmware makes QEMU describe the firmware-booted machine; it never runs.
printf '\0\0\0\0' >"$tmp/firmware.bin"
# The machine exactly as platform/virt/platform.mk runs it (virtualization=on adds the GIC's
# hypervisor regions, which Xen needs).
machine=$(make -s --no-print-directory -C "$(dirname "$0")/.." PLATFORM=virt print-qemu | sed -n 's/^QEMU_MACHINE=//p')
[[ -n $machine ]] || die "no QEMU_MACHINE for virt (make PLATFORM=virt print-qemu)"
"$qemu" -M "$machine,dumpdtb=$tmp/virt.dtb" -cpu cortex-a15 -smp "$cpus" -m "$mem" \
	-nic none -display none -bios "$tmp/firmware.bin" >"$tmp/log" 2>&1 ||
	die "$qemu failed: $(cat "$tmp/log")"
[[ -s $tmp/virt.dtb ]] || die "QEMU wrote no device tree: $(cat "$tmp/log")"
mkdir -p "$(dirname "$out")"
cp "$tmp/virt.dtb" "$out.tmp"
mv -f "$out.tmp" "$out"
echo "virt-dtb: $out: QEMU $machine, $cpus CPUs, -m $mem"
