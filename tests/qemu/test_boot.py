"""Boot matrix: 1-4 CPUs, from flash (-bios) and as an ELF (-kernel); report and demo asserted line by line."""
import re

import pytest

from conftest import PLATFORM, boot, build, held_suffix, platform_settings

SETTINGS = platform_settings(PLATFORM)
MAX_CPUS = int(SETTINGS["QEMU_MAX_CPUS"])
MIN_CPUS = int(SETTINGS["QEMU_MIN_CPUS"])  # orangepi-pc: QEMU allows exactly 4
CORES_PER_CLUSTER = int(SETTINGS["PLAT_CORES_PER_CLUSTER"])
MODES = ["bios", "kernel"] if SETTINGS["QEMU_KERNEL_BOOT"] == "yes" else ["bios"]


def expected_mpidr(idx, cores_per_cluster=CORES_PER_CLUSTER):
    return 0x80000000 | ((idx // cores_per_cluster) << 8) | (idx % cores_per_cluster)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cpus", range(MIN_CPUS, MAX_CPUS + 1))
def test_all_cpus_online_and_demo_runs(default_build, cpus, mode):
    check_full_boot(boot(default_build, cpus, mode), cpus)


def test_make_run_path_boots_from_pflash(default_build):
    """`make run`'s path: the flash image as the board's NOR flash, no -bios, no -kernel."""
    run = boot(default_build, MAX_CPUS, "pflash")
    check_full_boot(run, MAX_CPUS)
    assert run.has(r"^boot: standalone image 'payload-demo.bin': \d+ bytes, load 0x[0-9a-f]{8}, "
                   r"entry 0x[0-9a-f]{8}, CRCs ok$"), run.output


def check_full_boot(run, cpus):
    assert re.match(r"muster \d+\.\d+\.\d+ \(" + re.escape(PLATFORM) + r", build \S+\)",
                    next(l for l in run.lines if l.startswith("muster "))), run.output
    assert run.has(rf"^smp: {cpus} CPUs reported, acknowledgment timeout 5000 ms$"), run.output
    cpus_seen = run.cpu_lines()
    assert sorted(cpus_seen) == list(range(cpus)), run.output
    assert cpus_seen[0] == f"cpu0: mpidr 0x{expected_mpidr(0):08x} online boot cpu"
    for idx in range(1, cpus):
        m = re.fullmatch(rf"cpu{idx}: mpidr 0x{expected_mpidr(idx):08x} online latency (\d+) us",
                         cpus_seen[idx])
        assert m, cpus_seen[idx]
        assert 0 < int(m.group(1)) < 5_000_000
    assert run.summary() == (cpus, cpus)
    # The demo: every CPU's own result, checked by CPU0 against its recount.
    for idx in range(cpus):
        assert run.has(rf"^demo: cpu{idx} \(mpidr 0x{expected_mpidr(idx):08x}\) counted \d+ primes "
                       rf"in \[{idx * 20000}, {(idx + 1) * 20000}\): ok$"), run.output
    assert run.has(rf"^demo: {cpus} of {cpus} CPUs returned verified results$"), run.output
    assert run.lines[-2:] == ["muster: done, powering off", ""] or \
        run.has(r"^muster: done, powering off$"), run.output
    assert run.exitstatus == 0


def test_never_arriving_cpu_is_named_and_others_kept():
    out = build("never-cpu2", FAULT="never", FAULT_CPU=2, ACK_TIMEOUT_MS=1000)
    run = boot(out, MAX_CPUS)
    lines = run.cpu_lines()
    assert lines[2] == (f"cpu2: mpidr 0x{expected_mpidr(2):08x} timeout: no acknowledgment within 1000 ms, "
                        f"last stage pen{held_suffix(SETTINGS)}"), run.output
    for idx in set(range(1, MAX_CPUS)) - {2}:
        assert " online latency " in lines[idx], run.output
    assert run.summary() == (MAX_CPUS - 1, MAX_CPUS)
    assert run.has(rf"^demo: {MAX_CPUS - 1} of {MAX_CPUS - 1} CPUs returned verified results$")
    assert not run.has(r"^demo: cpu2 ")  # an abandoned CPU is given no work
    assert run.has(r"^muster: done, powering off$")


def test_build_time_timeout_is_reported():
    out = build("timeout-2500", ACK_TIMEOUT_MS=2500)
    cpus = max(2, MIN_CPUS)
    run = boot(out, cpus)
    assert run.has(rf"^smp: {cpus} CPUs reported, acknowledgment timeout 2500 ms$"), run.output
    assert run.summary() == (cpus, cpus)


def test_unknown_platform_lists_valid_ones():
    import subprocess
    from conftest import ROOT
    res = subprocess.run(["make", "-s", "PLATFORM=no-such-board"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode != 0
    assert "unknown PLATFORM 'no-such-board'; valid platforms:" in res.stderr
    assert PLATFORM in res.stderr


@pytest.mark.skipif(not SETTINGS["PLAT_BOOT_IMAGE"],
                    reason="the board's boot ROM takes muster as it is (no platform/<name>/rules.mk PLAT_BOOT_IMAGE)")
def test_boot_rom_image_carries_muster_at_its_entry(default_build):
    """The image a boot ROM loads (e.g. mkimage -T imximage): its header says it enters at muster's
    reset address, and muster.bin is inside it, unchanged."""
    import os
    import subprocess
    image = os.path.join(default_build, SETTINGS["PLAT_BOOT_IMAGE"])
    listing = subprocess.run(["mkimage", "-l", image], check=True, capture_output=True, text=True).stdout
    entry = re.search(r"^Entry Point:\s+([0-9a-fA-F]+)$", listing, re.M)
    assert entry and int(entry.group(1), 16) == int(SETTINGS["MUSTER_FLASH_BASE"], 0), listing
    with open(image, "rb") as f, open(os.path.join(default_build, "muster.bin"), "rb") as m:
        assert m.read() in f.read()
