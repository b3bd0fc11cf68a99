"""A hypervisor as muster's client: Debian's Xen, entered in HYP from a FIT that `make flash` built,
brings every CPU up through muster's PSCI and runs Debian's Linux as dom0 on all of them."""
import os
import re
import subprocess

import pytest

from conftest import PLATFORM, ROOT, boot, platform_settings

S = platform_settings(PLATFORM)
N = {k: int(v, 0) for k, v in S.items() if k.startswith("PLAT_") and v.startswith("0x")}

pytestmark = pytest.mark.skipif(S.get("QEMU_XEN") != "yes",
                                reason="Xen runs on boards whose platform.mk sets QEMU_XEN (PSCI, HYP, a GIC "
                                       "with virtualization regions in QEMU)")

MEM = "1G"  # Xen, and dom0's 256 MiB beside it; virt-dtb.sh dumps the memory node to match


@pytest.fixture(scope="module")
def xen():
    res = subprocess.run(["bash", "tools/fetch-xen.sh"], cwd=ROOT, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    if res.returncode == 3:  # the distribution ships no armhf Xen (Debian 13): nothing to boot
        pytest.skip(res.stderr.strip())
    assert res.returncode == 0, res.stderr
    return os.path.join(ROOT, "build", "xen", "xen")


def xen_flash(linux, xen, cpus):
    out = os.path.join("build", "test", f"xen-{cpus}cpus")
    dtb = os.path.join(ROOT, out, "board.dtb")
    os.makedirs(os.path.dirname(dtb), exist_ok=True)
    subprocess.run(["bash", S["LINUX_DTB"], str(cpus), dtb, MEM], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    # dom0's kernel and initramfs as FIT loadables at their own addresses, each named to Xen by a
    # /chosen/module node (multiboot,kernel / multiboot,ramdisk).
    dom0_kernel = N["PLAT_RAM_BASE"] + 0x01000000
    dom0_initrd = N["PLAT_LINUX_INITRD_ADDR"]
    subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", f"BUILD={out}", "flash",
                    "BOOTDELAY=0", "FIT=1", f"KERNEL={xen}", f"DTB={dtb}",
                    f"MODULES={linux}/vmlinuz@{dom0_kernel:#x}:multiboot,kernel "
                    f"{linux}/initramfs.cpio.gz@{dom0_initrd:#x}:multiboot,ramdisk",
                    "XEN_BOOTARGS=dom0_mem=256M console=dtuart loglvl=all", "DOM0_BOOTARGS=console=hvc0 muster.work"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


@pytest.mark.parametrize("cpus", [2, 4])
def test_xen_brings_up_every_cpu_through_psci_and_dom0_works_on_all(linux, xen, cpus):
    out = xen_flash(linux, xen, cpus)
    run = boot(out, cpus, "pflash", image="flash.img", timeout=420, extra=("-m", MEM))
    assert run.summary() == (cpus, cpus)
    assert run.has(r"^boot: FIT configuration 'conf-1': kernel 'kernel' \d+ bytes at 0x[0-9a-f]{8}, entry "
                   r"0x[0-9a-f]{8}, fdt, 2 loadables, hashes ok$"), run.output
    assert run.has(r"^boot: PSCI 1\.0 over SMC: the OS starts Non-secure in HYP mode"), run.output
    # Xen started each secondary through PSCI CPU_ON (its DT's enable-method); every CPU node it
    # found was a core that is there (muster deleted the rest), so none failed to come up.
    for cpu in range(1, cpus):
        assert run.has(rf"\(XEN\) CPU {cpu} booted\.$"), run.output
    assert not run.has(r"\(XEN\) Failed to bring up"), run.output
    assert run.has(rf"\(XEN\) Brought up {cpus} CPUs$"), run.output
    assert run.has(r"\(XEN\) Loading d0 kernel from boot module"), run.output
    assert run.has(r"\(XEN\) Loading ramdisk from boot module"), run.output
    # dom0 reached its initramfs with a vCPU per CPU and ran a worker pinned to each.
    assert run.has(rf"initramfs: cpus online 0-{cpus - 1}$"), run.output
    for cpu in range(cpus):
        assert run.has(rf"initramfs: work pinned to cpu {cpu} ran on cpu {cpu}$"), run.output
    assert run.has(r"initramfs: done$"), run.output
    assert not run.has(r"Xen BUG|Panic on CPU|Kernel panic|Oops"), run.output
    # Xen started each secondary with one CPU_ON, and none failed.
    m = re.search(r"^psci: SYSTEM_OFF from cpu\d: (\d+) CPU_ON \((\d+) more released and failed\), (\d+) CPU_OFF",
                  "\n".join(run.lines), re.M)
    assert m, run.output
    assert (int(m.group(1)), int(m.group(2))) == (cpus - 1, 0), run.output
    print("\n".join(l for l in run.lines if re.search(r"\(XEN\) Brought up|initramfs: (cpus online|work)", l)))
