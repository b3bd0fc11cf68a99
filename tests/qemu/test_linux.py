"""Debian's armmp Linux booted from a flash image made by `make flash`: all CPUs, and with one core failed."""
import os
import re
import subprocess

import pytest

from conftest import PLATFORM, ROOT, boot

pytestmark = pytest.mark.skipif(PLATFORM != "vexpress-a9", reason="Linux handoff tests are per board")


def linux_flash(name, linux, **make_vars):
    out = os.path.join("build", "test", name)
    args = ["make", "-s", "--no-print-directory", f"BUILD={out}", "flash", "BOOTDELAY=0",
            f"KERNEL={linux}/vmlinuz", f"DTB={linux}/vexpress-v2p-ca9.dtb",
            f"INITRD={linux}/initramfs.cpio.gz", "BOOTARGS=console=ttyAMA0"]
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


@pytest.mark.parametrize("cpus", [4, 2])
def test_linux_boots_on_every_cpu_from_flash(linux, cpus):
    out = linux_flash("linux", linux)
    run = boot(out, cpus, "pflash", image="flash.img", timeout=240)
    assert run.summary() == (cpus, cpus)
    assert run.has(r"^boot: multi-file image 'linux': \d+ bytes, load 0x60008000, entry 0x60008000, CRCs ok$")
    assert run.has(rf"^boot: device tree: {cpus} CPU nodes, 0 marked failed$") or \
        run.has(r"^boot: device tree: 4 CPU nodes, \d+ marked failed$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {cpus} CPUs$"), run.output
    assert run.has(rf"^initramfs: cpus online 0-{cpus - 1}$"), run.output
    assert run.has(rf"^initramfs: nproc {cpus}$"), run.output
    assert run.has(r"^initramfs: done$"), run.output


def test_linux_skips_a_core_that_failed_in_muster(linux):
    out = linux_flash("linux-cpu2-dead", linux, FAULT="never", FAULT_CPU=2, ACK_TIMEOUT_MS=1000)
    run = boot(out, 4, "pflash", image="flash.img", timeout=240)
    assert run.has(r"^cpu2: mpidr 0x80000002 timeout: no acknowledgment within 1000 ms"), run.output
    assert run.has(r"^boot: device tree: 4 CPU nodes, 1 marked failed$"), run.output
    assert run.has(r"smp: Brought up 1 node, 3 CPUs$"), run.output
    assert run.has(r"^initramfs: cpus online 0-2$"), run.output
    assert not run.has(r"failed to come online|failed to boot"), run.output
    # Linux did not spend its 1 s per-CPU wait on the dead core.
    assert linux_bringup_seconds(run) < 1.0, run.output


def test_kernel_image_with_appended_dtb_boots_on_every_cpu(linux):
    """A plain kernel image (mkimage -T kernel): the zImage carries its DTB, r2 = 0."""
    out = os.path.join("build", "test", "linux-kernel-only")
    subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={out}", "flash", "BOOTDELAY=0",
                    "KERNEL_ONLY=1", f"KERNEL={linux}/vmlinuz", f"DTB={linux}/vexpress-v2p-ca9.dtb",
                    "BOOTARGS=console=ttyAMA0"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    run = boot(os.path.join(ROOT, out), 4, "pflash", image="flash.img", timeout=240,
               until=r"smp: Brought up 1 node, \d+ CPUs")
    assert run.has(r"^boot: kernel image 'linux-appended-dtb': \d+ bytes, load 0x60008000"), run.output
    assert run.has(r"^boot: warning: no device tree in the image: the kernel must carry its own"), run.output
    assert run.has(r"^boot: starting Linux at 0x60008000, device tree at 0x00000000$"), run.output
    assert run.has(r"smp: Brought up 1 node, 4 CPUs$"), run.output
