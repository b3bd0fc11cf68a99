"""Debian's armmp Linux started Non-secure by muster and bringing its CPUs up and down through
muster's PSCI 1.0 (SMC): boot on every CPU, CPU hotplug in a loop, and a core failed in muster."""
import os
import re
import subprocess
import time

import pytest

from conftest import PLATFORM, ROOT, boot, platform_settings

pytestmark = pytest.mark.skipif(not int(platform_settings(PLATFORM)["PLAT_HAS_PSCI"], 0),
                                reason="Linux through muster's PSCI: boards with PLAT_HAS_PSCI (board.h)")

# Linux starts in HYP where the CPU has the Virtualization Extensions and QEMU gives them, else in
# Non-secure SVC: the board says which (platform.mk OS_ENTRY_MODE).
START_MODE = {PLATFORM: platform_settings(PLATFORM)["OS_ENTRY_MODE"]}
S = platform_settings(PLATFORM)

# CPU hotplug: rounds of the initramfs loop (each takes every online secondary offline and back
# online once, through muster's CPU_OFF and CPU_ON) per run. `make test` runs every board: the
# runs below make at least HOTPLUG_TOTAL_MIN offline/online cycles in all (a cycle takes about
# 60-110 ms of wall time under TCG here with 4 CPUs, 150-250 ms with 8, so the counts are split
# between the boards and weighted to 4 CPUs).
# Each board's share is a board fact: platform.mk PSCI_HOTPLUG_ROUNDS, "<cpus>:<rounds> ...".
FAULT_ROUNDS = 10  # the fault run: 2 secondaries online
HOTPLUG_TOTAL_MIN = 1000


def hotplug_rounds(platform=PLATFORM):
    """{cpus: rounds} of the hotplug runs on a board (platform.mk PSCI_HOTPLUG_ROUNDS)."""
    return {int(c): int(r) for c, r in (w.split(":") for w in
                                        platform_settings(platform)["PSCI_HOTPLUG_ROUNDS"].split())}


def psci_boards():
    """Every board of the tree that offers PSCI (board.h PLAT_HAS_PSCI), as the build says."""
    boards = sorted(d for d in os.listdir(os.path.join(ROOT, "platform"))
                    if os.path.isfile(os.path.join(ROOT, "platform", d, "platform.mk")))
    return [b for b in boards if int(platform_settings(b)["PLAT_HAS_PSCI"], 0)]


def cycles(platform=None):
    """The offline/online cycles the runs make, on one board or on all of them."""
    boards = psci_boards() if platform is None else [platform]
    return sum(sum(r * (c - 1) for c, r in hotplug_rounds(b).items()) + FAULT_ROUNDS * 2 for b in boards)


def board_dtb(linux, cpus):
    """The board's device tree as it comes (platform.mk LINUX_DTB; mkflash adds the /psci node and
    enable-methods): Debian's file, or what the named script dumps from QEMU for this CPU count."""
    name = S["LINUX_DTB"]
    if name.endswith(".sh"):
        dtb = os.path.join(ROOT, "build", "test", f"{PLATFORM}-{cpus}cpus.dtb")
        subprocess.run(["bash", name, str(cpus), dtb], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return dtb
    return os.path.join(linux, name)


def linux_memory(linux):
    """-m for Linux: the board's QEMU_MEM, or the RAM its device tree describes if that is more
    (Debian's vexpress-v2p-ca15-tc1.dtb describes the tile's 1 GiB; QEMU_MEM is 128M there)."""
    mem = S["QEMU_MEM"]
    mib = int(mem[:-1]) << (10 if mem.endswith("G") else 0)
    if S["LINUX_DTB"].endswith(".dtb"):
        dtb = os.path.join(linux, S["LINUX_DTB"])
        nodes = subprocess.run(["fdtget", "-l", dtb, "/"], check=True, capture_output=True, text=True).stdout.split()
        for node in (n for n in nodes if n == "memory" or n.startswith("memory@")):
            reg = subprocess.run(["fdtget", "-t", "u", dtb, f"/{node}", "reg"], check=True, capture_output=True,
                                 text=True).stdout.split()
            mib = max(mib, int(reg[-1]) >> 20)  # one bank, 32-bit cells: address, size
    return ("-m", f"{mib}M")


def psci_flash(name, linux, cpus, rounds, **make_vars):
    out = os.path.join("build", "test", name)
    args = ["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", f"BUILD={out}", "flash",
            "BOOTDELAY=0", f"KERNEL={linux}/vmlinuz", f"DTB={board_dtb(linux, cpus)}",
            f"INITRD={linux}/initramfs.cpio.gz", f"BOOTARGS=console=ttyAMA0 muster.hotplug={rounds}",
            "CPU_NODES=all"]  # a node per core (Debian's ca15 DTB lists the real tile's 2, QEMU has 4)
    args += [f"{k}={v}" for k, v in make_vars.items()]
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


def run_linux(out, cpus, timeout):
    t0 = time.monotonic()
    run = boot(out, cpus, "pflash", image="flash.img", timeout=timeout,
               extra=linux_memory(os.path.join(ROOT, "build", "linux")))
    hotplug = [l for l in run.lines if l.startswith("initramfs: hotplug ")]
    print(f"{PLATFORM}, {cpus} CPUs: {time.monotonic() - t0:.1f} s wall; {'; '.join(hotplug)}")
    return run


def check_muster_handoff(run, online):
    """muster marked every CPU node but the online ones "fail" and handed over through its PSCI."""
    m = re.search(r"^boot: device tree: (\d+) CPU nodes, (\d+) marked failed$", "\n".join(run.lines), re.M)
    # CPU_NODES=all gave every core the board can have a node; muster removed those QEMU does not have.
    assert m and int(m.group(2)) == int(m.group(1)) - online, run.output
    assert run.has(rf"^boot: PSCI 1\.0 over SMC: the OS starts Non-secure in {START_MODE[PLATFORM]} mode"), \
        run.output


def check_psci_linux(run, online):
    """Linux found muster's PSCI, started where it should, and brought `online` CPUs up."""
    assert run.has(r"psci: PSCIv1\.0 detected in firmware\.$"), run.output
    assert run.has(r"psci: Using standard PSCI v0\.2 function IDs$"), run.output
    assert run.has(rf"CPU: All CPU\(s\) started in {START_MODE[PLATFORM]} mode\.$"), run.output
    assert run.has(rf"smp: Brought up 1 node, {online} CPU{'s' if online != 1 else ''}$"), run.output
    assert not run.has(r"failed to come online|failed to boot|CPU\d+: failed|Unable to handle"), run.output
    assert not run.has(r"Internal error|Oops|BUG:|Kernel panic"), run.output


def psci_summary(run):
    """muster's line at the OS's SYSTEM_OFF: (CPU_ON ok, CPU_ON failed, CPU_OFF, late wake-ups)."""
    m = re.search(r"^psci: SYSTEM_OFF from cpu\d: (\d+) CPU_ON \((\d+) more released and failed\), (\d+) CPU_OFF, "
                  r"(\d+) late wake-ups absorbed by the monitor$", "\n".join(run.lines), re.M)
    assert m, run.output
    return tuple(int(x) for x in m.groups())


def check_hotplug(run, rounds, secondaries, online_list):
    assert run.has(rf"^initramfs: hotplug cycles {rounds} failures 0$"), run.output
    # Every offline/online went through muster: one CPU_ON per secondary at boot, then one CPU_OFF
    # and one CPU_ON per cycle, none failed. muster says so when Linux powers off through PSCI
    # SYSTEM_OFF; where the board's device tree gives Linux a power-off driver of its own, that
    # one powers off instead (platform.mk PSCI_LINUX_SYSTEM_OFF := no).
    if S["PSCI_LINUX_SYSTEM_OFF"] == "yes":
        on, on_failed, off, _ = psci_summary(run)
        assert (on, on_failed, off) == (secondaries * (rounds + 1), 0, secondaries * rounds), run.output
    # Warnings reach the console during the loop (tests/linux/init): Linux's PSCI code polls
    # AFFINITY_INFO after CPU_OFF and warns if the CPU does not read OFF within its 100 ms.
    assert not run.has(r"may not have shut down cleanly|didn't die|(^|\] )WARNING:"), run.output  # Linux's, not muster's banner
    assert run.has(rf"^initramfs: hotplug {rounds * secondaries} cpu cycles in \d+ ms$"), run.output
    # Every CPU is back online at the end.
    assert run.has(rf"^initramfs: cpus online after hotplug {online_list}$"), run.output
    assert run.has(r"^initramfs: done$"), run.output


def mkflash_dtb(tmp_path, dtb, *options):
    """The device tree mkflash puts in a Linux image, read back from the image."""
    kernel = tmp_path / "zImage"
    kernel.write_bytes(b"\0" * 64)
    subprocess.run(["/usr/bin/python3", "tools/mkflash.py", "--board-dir", f"platform/{PLATFORM}",
                    "--muster", str(kernel), "--out", str(tmp_path / "flash.img"), "--kernel", str(kernel),
                    "--dtb", dtb, "--bootargs", "console=ttyAMA0", *options],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = tmp_path / "out.dtb"
    subprocess.run(["dumpimage", "-T", "multi", "-p", "1", "-o", str(out), str(tmp_path / "flash.uimg")],
                   check=True, stdout=subprocess.DEVNULL)
    return str(out)


def fdt(*args):
    return subprocess.run(["fdtget", *args], check=True, capture_output=True, text=True).stdout.split()


def test_mkflash_asks_for_muster_psci(linux, tmp_path):
    """A /psci node as QEMU writes its own (HVC, psci-0.1 function IDs) and a board enable-method
    are replaced by PSCI 1.0 over SMC; the CPU nodes are the user's unless --add-cpu-nodes gives
    every core the board can have one; --no-psci leaves the device tree's PSCI as it was."""
    src = str(tmp_path / "board.dtb")
    subprocess.run(["cp", board_dtb(linux, 4), src], check=True)
    subprocess.run(["fdtput", "-c", src, "/psci"], check=True)
    subprocess.run(["fdtput", "-t", "s", src, "/psci", "method", "hvc"], check=True)
    subprocess.run(["fdtput", "-t", "s", src, "/psci", "compatible", "arm,psci"], check=True)
    subprocess.run(["fdtput", "-t", "x", src, "/psci", "cpu_on", "84000003"], check=True)
    subprocess.run(["fdtput", "-t", "s", src, "/cpus/cpu@1", "enable-method", "arm,board-smp"], check=True)

    dtb = mkflash_dtb(tmp_path, src)
    assert fdt("-t", "s", dtb, "/psci", "compatible") == ["arm,psci-1.0", "arm,psci-0.2"]
    assert fdt("-t", "s", dtb, "/psci", "method") == ["smc"]
    assert sorted(fdt("-p", dtb, "/psci")) == ["compatible", "method"]
    # The user's CPU nodes stay as they are: none added unless asked for (CPU_NODES=all).
    src_cpus = [n for n in fdt("-l", src, "/cpus") if n.startswith("cpu@")]
    assert [n for n in fdt("-l", dtb, "/cpus") if n.startswith("cpu@")] == src_cpus
    dtb = mkflash_dtb(tmp_path, src, "--add-cpu-nodes")
    max_cpus = int(platform_settings(PLATFORM)["QEMU_MAX_CPUS"])
    cpus = [n for n in fdt("-l", dtb, "/cpus") if n.startswith("cpu@")]
    assert cpus == [f"cpu@{i}" for i in range(max_cpus)]  # in MPIDR order: Linux numbers them so
    for node in cpus:
        assert fdt("-t", "s", dtb, f"/cpus/{node}", "enable-method") == ["psci"]
        assert fdt("-t", "s", dtb, f"/cpus/{node}", "status") == ["okay"]
        assert fdt("-t", "u", dtb, f"/cpus/{node}", "reg") == [str(int(node[4:], 16))]

    kept = mkflash_dtb(tmp_path, src, "--no-psci")
    assert fdt("-t", "s", kept, "/psci", "method") == ["hvc"]
    assert fdt("-t", "x", kept, "/psci", "cpu_on") == ["84000003"]
    assert fdt("-t", "s", kept, "/cpus/cpu@1", "enable-method") == ["arm,board-smp"]


def test_hotplug_counts_reach_the_minimum():
    """What every board's runs do together (`make test` runs them all)."""
    assert cycles() >= HOTPLUG_TOTAL_MIN, {p: cycles(p) for p in psci_boards()}


@pytest.mark.parametrize("cpus", sorted(hotplug_rounds()) if int(S["PLAT_HAS_PSCI"], 0) else [])
def test_linux_boots_and_hotplugs_through_psci(linux, cpus):
    rounds = hotplug_rounds()[cpus]
    out = psci_flash(f"psci-linux-{cpus}", linux, cpus, rounds)
    run = run_linux(out, cpus, timeout=180 + rounds * (cpus - 1))
    assert run.summary() == (cpus, cpus)
    check_muster_handoff(run, cpus)
    check_psci_linux(run, cpus)
    assert run.has(rf"^initramfs: cpus online 0-{cpus - 1}$"), run.output
    assert run.has(rf"^initramfs: nproc {cpus}$"), run.output
    check_hotplug(run, rounds, cpus - 1, f"0-{cpus - 1}")


def test_linux_skips_a_core_that_failed_in_muster(linux):
    out = psci_flash("psci-linux-cpu2-dead", linux, 4, FAULT_ROUNDS, FAULT="never", FAULT_CPU=2,
                     ACK_TIMEOUT_MS=1000)
    run = run_linux(out, 4, timeout=240)
    assert run.has(r"^cpu2: mpidr 0x80000002 timeout: no acknowledgment within 1000 ms"), run.output
    assert run.summary() == (3, 4)
    check_muster_handoff(run, 3)
    check_psci_linux(run, 3)
    assert run.has(r"^initramfs: cpus online 0-2$"), run.output
    assert run.has(r"^initramfs: nproc 3$"), run.output
    check_hotplug(run, FAULT_ROUNDS, 2, "0-2")


def test_linux_with_maxcpus_1_brings_every_other_cpu_online_later(linux):
    """Linux starts on CPU0 alone (maxcpus=1); its initramfs brings every other CPU online later,
    each with one CPU_ON to muster, and runs work on all of them."""
    cpus = max(hotplug_rounds())
    out = psci_flash("psci-linux-maxcpus1", linux, cpus, 0,
                     BOOTARGS="console=ttyAMA0 maxcpus=1 muster.online muster.work")
    run = run_linux(out, cpus, timeout=300)
    assert run.summary() == (cpus, cpus)
    check_muster_handoff(run, cpus)
    check_psci_linux(run, 1)
    assert run.has(r"^initramfs: cpus online 0$"), run.output
    assert run.has(rf"^initramfs: brought online {cpus - 1} failures 0$"), run.output
    assert run.has(rf"^initramfs: cpus online after onlining 0-{cpus - 1}$"), run.output
    for cpu in range(cpus):
        assert run.has(rf"^initramfs: work pinned to cpu {cpu} ran on cpu {cpu}$"), run.output
    if S["PSCI_LINUX_SYSTEM_OFF"] == "yes":
        assert psci_summary(run)[:3] == (cpus - 1, 0, 0), run.output


def test_linux_boots_from_a_fit_image(linux):
    """The same Linux as a FIT (make flash FIT=1): kernel, ramdisk and device tree each at its own
    load address and sha256-verified, then the PSCI handoff as from a legacy image."""
    out = psci_flash("psci-linux-fit", linux, 4, 0, FIT=1)
    run = run_linux(out, 4, timeout=300)
    assert run.has(r"^boot: FIT configuration 'conf-1': kernel 'kernel' \d+ bytes at 0x[0-9a-f]{8}, entry "
                   r"0x[0-9a-f]{8}, ramdisk 'ramdisk', fdt, 0 loadables, hashes ok$"), run.output
    check_muster_handoff(run, 4)
    check_psci_linux(run, 4)
    assert run.has(r"^initramfs: cpus online 0-3$"), run.output
