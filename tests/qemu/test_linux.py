"""Debian's armmp Linux booted from a flash image made by `make flash`: all CPUs, and with one core failed."""
import os
import re
import subprocess

import pytest

from conftest import PLATFORM, ROOT, boot, mpidr, number, platform_settings

S = platform_settings(PLATFORM)


def why_not_here():
    """Why these tests do not apply to this board, from its build facts (board.h, platform.mk), or None."""
    if number(S, "PLAT_HAS_PSCI"):
        return "board.h sets PLAT_HAS_PSCI: Linux boots through muster's PSCI there (test_psci_linux.py)"
    if not (number(S, "PLAT_HAS_LINUX_SMP_PEN") or number(S, "PLAT_LINUX_STARTS_CORES")):
        return ("board.h sets neither PLAT_HAS_LINUX_SMP_PEN nor PLAT_LINUX_STARTS_CORES: "
                "Linux gets CPU0 only")
    if not S["LINUX_DTB"].endswith(".dtb"):
        return "platform.mk names no LINUX_DTB file from Debian's kernel package"
    return None


pytestmark = pytest.mark.skipif(why_not_here() is not None, reason=str(why_not_here()))

MAX_CPUS = int(S["QEMU_MAX_CPUS"])
FEW = max(int(S["QEMU_MIN_CPUS"]), min(2, MAX_CPUS))
LOAD = f"0x{number(S, 'PLAT_LINUX_LOAD'):08x}"  # where muster puts the kernel (board.h, or its default)
DONE = r"initramfs: done"  # the initramfs's last line: some boards' Linux cannot power QEMU off after it


def dtb(linux):
    return os.path.join(linux, S["LINUX_DTB"])


def linux_flash(name, linux, **make_vars):
    out = os.path.join("build", "test", name)
    args = ["make", "-s", "--no-print-directory", f"BUILD={out}", "flash", "BOOTDELAY=0",
            f"KERNEL={linux}/vmlinuz", f"DTB={dtb(linux)}",
            f"INITRD={linux}/initramfs.cpio.gz", f"BOOTARGS=console={S['LINUX_CONSOLE']}"]
    args += [f"{k}={v}" for k, v in make_vars.items()]
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


def linux_bringup_seconds(run):
    """Guest time between Linux's 'Bringing up secondary CPUs' and 'Brought up' lines."""
    t = {}
    for line in run.lines:
        m = re.match(r"\[\s*(\d+\.\d+)\] smp: (Bringing up secondary|Brought up)", line)
        if m:
            t[m.group(2)] = float(m.group(1))
    assert len(t) == 2, run.output
    return t["Brought up"] - t["Bringing up secondary"]


@pytest.mark.parametrize("cpus", sorted({MAX_CPUS, FEW}, reverse=True))
def test_linux_boots_on_every_cpu_from_flash(linux, cpus):
    out = linux_flash("linux", linux)
    run = boot(out, cpus, "pflash", image="flash.img", timeout=240, until=DONE)
    assert run.summary() == (cpus, cpus)
    assert run.has(rf"^boot: multi-file image 'linux': \d+ bytes, load {LOAD}, entry {LOAD}, CRCs ok$")
    # No node for a core that is not there: muster deleted the DTB's nodes beyond -smp.
    listed = len([n for n in subprocess.run(["fdtget", "-l", dtb(linux), "/cpus"],
                                            check=True, capture_output=True, text=True).stdout.split()
                  if n.startswith("cpu@")])
    assert run.has(rf"^boot: device tree: {cpus} CPU nodes, 0 marked failed$"), run.output
    if listed > cpus:
        assert run.has(rf"^boot: device tree: removed {listed - cpus} CPU nodes of cores this board does not "
                       rf"have \(it reports {cpus}\)$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {cpus} CPUs$"), run.output
    assert run.has(rf"^initramfs: cpus online 0-{cpus - 1}$"), run.output
    assert run.has(rf"^initramfs: nproc {cpus}$"), run.output
    assert run.has(r"^initramfs: done$"), run.output


def test_linux_with_maxcpus_1_brings_every_other_cpu_online_later(linux):
    """Linux starts on CPU0 alone (maxcpus=1) and brings the others online from its initramfs, long
    after boot, through the board's method: the cores muster handed over still answer then.
    lpj= skips each late secondary's delay-loop calibration: on a Cortex-A9 (no generic timer for a
    timer-based delay) under TCG on a loaded host it outlasts Linux's 1 s wait for the CPU, with
    QEMU's own -kernel boot as well (5 of 6 runs here failed "CPUn: failed to come online"; 0 of 4
    with lpj=). Any value does: the test times nothing with udelay."""
    out = linux_flash("linux-maxcpus1", linux,
                      BOOTARGS=f"console={S['LINUX_CONSOLE']} maxcpus=1 lpj=3000000 muster.online muster.work")
    run = boot(out, MAX_CPUS, "pflash", image="flash.img", timeout=240, until=DONE)
    assert run.summary() == (MAX_CPUS, MAX_CPUS)
    assert run.has(r"smp: Brought up 1 node, 1 CPU$"), run.output
    assert run.has(r"^initramfs: cpus online 0$"), run.output
    assert run.has(rf"^initramfs: brought online {MAX_CPUS - 1} failures 0$"), run.output
    assert run.has(rf"^initramfs: cpus online after onlining 0-{MAX_CPUS - 1}$"), run.output
    for cpu in range(MAX_CPUS):
        assert run.has(rf"^initramfs: work pinned to cpu {cpu} ran on cpu {cpu}$"), run.output
    assert not run.has(r"failed to come online|failed to boot|Oops|Kernel panic"), run.output


def test_an_initrd_larger_than_the_room_below_the_device_tree_boots(linux, tmp_path):
    """No size cap on the initrd: one that reaches PLAT_LINUX_DTB_ADDR pushes the device tree above
    it, inside the RAM the tree describes (the initramfs padded with zeros, which Linux skips)."""
    room = number(S, "PLAT_LINUX_DTB_ADDR") - number(S, "PLAT_LINUX_INITRD_ADDR")
    big = tmp_path / "initrd-big"
    data = open(os.path.join(linux, "initramfs.cpio.gz"), "rb").read()
    big.write_bytes(data + bytes(room + 8 * 1024 * 1024 - len(data)))
    out = linux_flash("linux-big-initrd", linux, INITRD=str(big))
    run = boot(out, MAX_CPUS, "pflash", image="flash.img", timeout=240, until=DONE)
    end = number(S, "PLAT_LINUX_INITRD_ADDR") + big.stat().st_size
    assert run.has(rf"^boot: device tree placed above the initrd, at 0x{(end + 0xfff) & ~0xfff:08x}$"), run.output
    assert run.has(rf"^initramfs: cpus online 0-{MAX_CPUS - 1}$"), run.output


def test_an_initrd_beyond_the_ram_the_device_tree_describes_is_refused(linux, tmp_path):
    """The same initrd with a device tree that describes too little RAM: make flash refuses it, naming
    the ranges, and so does muster when the image comes from elsewhere (PAYLOAD=)."""
    small = tmp_path / "small.dtb"
    subprocess.run(["cp", dtb(linux), small], check=True)
    ram = number(S, "PLAT_RAM_BASE")
    cells = int(subprocess.run(["fdtget", "-t", "u", "-d", "1", str(small), "/", "#address-cells"],
                               capture_output=True, text=True, check=True).stdout.split()[0])
    node = next(n for n in subprocess.run(["fdtget", "-l", str(small), "/"], capture_output=True, text=True,
                                          check=True).stdout.split() if n.startswith("memory"))
    # 48 MiB of RAM: the kernel and an initrd up to PLAT_LINUX_DTB_ADDR fit, the device tree does not.
    reg = [0] * (cells - 1) + [ram] + [0] * (cells - 1) + [48 << 20]
    subprocess.run(["fdtput", "-t", "u", str(small), f"/{node}", "reg", *map(str, reg)], check=True)
    initrd = tmp_path / "initrd-16m"
    initrd.write_bytes(bytes(number(S, "PLAT_LINUX_DTB_ADDR") - number(S, "PLAT_LINUX_INITRD_ADDR")))
    res = subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={tmp_path / 'b'}", "flash", "BOOTDELAY=0",
                          f"KERNEL={linux}/vmlinuz", f"DTB={small}", f"INITRD={initrd}"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode != 0
    assert "the device tree (0x" in res.stderr and "does not fit the RAM the device tree describes" in res.stderr, \
        res.stderr
    # The image as a user's own mkimage would make it, tree and all: muster refuses it at boot.
    uimg = tmp_path / "linux.uimg"
    subprocess.run(["fdtput", "-t", "x", str(small), "/chosen", "linux,initrd-start",
                    f"{number(S, 'PLAT_LINUX_INITRD_ADDR'):x}"], check=True)
    subprocess.run(["fdtput", "-t", "x", str(small), "/chosen", "linux,initrd-end",
                    f"{number(S, 'PLAT_LINUX_DTB_ADDR'):x}"], check=True)
    subprocess.run(["mkimage", "-A", "arm", "-O", "linux", "-T", "multi", "-C", "none", "-a", LOAD, "-e", LOAD,
                    "-n", "linux", "-d", f"{linux}/vmlinuz:{initrd}:{small}", str(uimg)], check=True,
                   stdout=subprocess.DEVNULL)
    out = tmp_path / "p"
    subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={out}", "flash", "BOOTDELAY=0", f"PAYLOAD={uimg}"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    run = boot(str(out), FEW, "pflash", image="flash.img", until=r"muster> ")
    assert run.has(rf"^boot: device tree 0x{number(S, 'PLAT_LINUX_DTB_ADDR'):08x}-0x[0-9a-f]{{8}} is outside the RAM "
                   r"the device tree describes$"), run.output
    assert not run.has(r"starting Linux"), run.output


def test_linux_skips_a_core_that_failed_in_muster(linux):
    out = linux_flash("linux-cpu2-dead", linux, FAULT="never", FAULT_CPU=2, ACK_TIMEOUT_MS=1000)
    run = boot(out, MAX_CPUS, "pflash", image="flash.img", timeout=240, until=DONE)
    assert run.has(rf"^cpu2: mpidr 0x{mpidr(2):08x} timeout: no acknowledgment within 1000 ms"), run.output
    assert run.has(rf"^boot: device tree: {MAX_CPUS} CPU nodes, 1 marked failed$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {MAX_CPUS - 1} CPUs$"), run.output
    assert run.has(rf"^initramfs: cpus online 0-{MAX_CPUS - 2}$"), run.output  # Linux numbers the rest densely
    assert not run.has(r"failed to come online|failed to boot"), run.output
    # Linux did not spend its 1 s per-CPU wait on the dead core.
    assert linux_bringup_seconds(run) < 1.0, run.output


def test_kernel_image_with_appended_dtb_boots_on_every_cpu(linux):
    """A plain kernel image (mkimage -T kernel): the zImage carries its DTB, r2 = 0."""
    out = os.path.join("build", "test", "linux-kernel-only")
    subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={out}", "flash", "BOOTDELAY=0",
                    "KERNEL_ONLY=1", f"KERNEL={linux}/vmlinuz", f"DTB={dtb(linux)}",
                    f"BOOTARGS=console={S['LINUX_CONSOLE']}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    run = boot(os.path.join(ROOT, out), MAX_CPUS, "pflash", image="flash.img", timeout=240,
               until=r"smp: Brought up 1 node, \d+ CPUs")
    assert run.has(rf"^boot: kernel image 'linux-appended-dtb': \d+ bytes, load {LOAD}"), run.output
    assert run.has(r"^boot: warning: no device tree in the image: the kernel must carry its own"), run.output
    assert run.has(rf"^boot: starting Linux at {LOAD}, device tree at 0x00000000$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {MAX_CPUS} CPUs$"), run.output


def test_linux_boots_from_a_fit_image(linux):
    """Linux as a FIT (make flash FIT=1): each image at its own load address, sha256-verified."""
    out = linux_flash("linux-fit", linux, FIT=1)
    run = boot(out, MAX_CPUS, "pflash", image="flash.img", timeout=240, until=DONE)
    assert run.summary() == (MAX_CPUS, MAX_CPUS)
    assert run.has(rf"^boot: FIT configuration 'conf-1': kernel 'kernel' \d+ bytes at {LOAD}, entry "
                   rf"{LOAD}, ramdisk 'ramdisk', fdt, 0 loadables, hashes ok$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {MAX_CPUS} CPUs$"), run.output
    assert run.has(rf"^initramfs: cpus online 0-{MAX_CPUS - 1}$"), run.output
