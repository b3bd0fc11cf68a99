"""PSCI conformance: the bare-metal payload (payload/psci-test/) on muster's PSCI 1.0, and on QEMU's own PSCI."""
import os
import re
import subprocess
import time

import pexpect
import pytest

from conftest import CONSOLE, PLATFORM, QEMU, ROOT, Boot, boot, number, platform_settings

S = platform_settings(PLATFORM)
pytestmark = pytest.mark.skipif(not number(S, "PLAT_HAS_PSCI"),
                                reason="no PSCI firmware on this board (board.h PLAT_HAS_PSCI)")

# -smp through muster: 4 (or the board's maximum below it) and the maximum; with room for three
# counts (more than 4 CPUs), also 2: a single racer.
_MIN, _MAX = int(S["QEMU_MIN_CPUS"]), int(S["QEMU_MAX_CPUS"])
MUSTER_CPUS = sorted({max(_MIN, min(4, _MAX)), _MAX} | ({2} if _MAX > 4 and _MIN <= 2 else set()))
RACE_ROUNDS = 100
FEATURES = ["PSCI_VERSION", "CPU_ON", "CPU_OFF", "AFFINITY_INFO", "SYSTEM_OFF", "SYSTEM_RESET",
            "MIGRATE_INFO_TYPE", "PSCI_FEATURES"]


def build_psci(name, **make_vars):
    """`make psci-test` into build/test/<name>/: the flash image (smc) or the ELF alone (hvc)."""
    out = os.path.join("build", "test", name)
    args = ["make", "-s", "--no-print-directory", f"BUILD={out}", f"PLATFORM={PLATFORM}", "BOOTDELAY=0",
            "psci-test"] + [f"{k}={v}" for k, v in make_vars.items()]
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


def expected_checks(cpus, reference, run):
    """The check names (regexes) a full run prints, in order; the reference run skips what QEMU lacks."""
    names = ["boot entry", r"CNTFRQ [1-9]\d* Hz", "PSCI_VERSION", r"SMCCC: r4-r14 preserved across a call"]
    if not run.has(r"^psci-test: PSCI_FEATURES: skipped: "):
        names += [rf"PSCI_FEATURES\({f}\)" for f in FEATURES]
        names += [r"PSCI_FEATURES\(unknown 0x8400001f\)", r"PSCI_FEATURES\(SMC64 CPU_ON 0xc4000003\)"]
    names += ["unknown function 0x8400001f", "unknown function 0x82000000", "MIGRATE_INFO_TYPE",
              "AFFINITY_INFO: CPU count and states"]
    if not reference:  # muster's handover: a CPU node per core that is there, /memory clear of muster
        names += ["device tree: a CPU node per core, none over muster's RAM"]
    names += ["CPU_ON self", "CPU_ON target 0xffffffff",
              rf"CPU_ON absent cpu{cpus} \(0x[0-9a-f]{{8}}\)"]
    if not reference:
        names += [r"CPU_ON entry 0x00000000 \(the Secure flash\)",
                  r"CPU_ON entry 0x[0-9a-f]{8} \(the firmware's RAM\)",
                  r"CPU_ON entry 0x[0-9a-f]{8} \(the firmware's RAM, last word\)",
                  r"CPU_ON entry 0xf0000000 \(no RAM\)"]
    names += [rf"CPU_ON/CPU_OFF cpu{i}" for i in range(1, cpus)] + ["FIQs masked at entry"]
    # Against QEMU's PSCI rounds with several winners are reported, not counted (see psci-test.c).
    winners = r"\d+" if reference else str(RACE_ROUNDS)
    names += [rf"race cpu{i}: {RACE_ROUNDS} rounds, {winners} single winners" for i in range(1, cpus)]
    names += ["all secondaries OFF", "no exceptions or failed CPU_OFF on secondaries"]
    return names


def assert_conformant(run, cpus, reference=False):
    """Every check ok, each expected one printed exactly once, the summary consistent, a clean power-off."""
    checks = [l for l in run.lines if re.match(r"psci-test: .*: (ok|FAIL\b.*)$", l)]
    failed = [l for l in checks if not l.endswith(": ok")]
    assert not failed, "\n".join(failed) + "\n\n" + run.output
    assert run.has(rf"^psci-test: cpus {cpus}$"), run.output
    names = expected_checks(cpus, reference, run)
    for name in names:
        found = [l for l in checks if re.fullmatch(rf"psci-test: {name}: ok", l)]
        assert len(found) == 1, f"check '{name}': {found}\n{run.output}"
    assert len(checks) == len(names), f"unexpected checks: {checks}\n{run.output}"
    assert run.has(rf"^psci-test: done: {len(names)} checks, 0 failed$"), run.output
    assert not run.has(r"SYSTEM_OFF returned|FATAL"), run.output
    assert run.exitstatus == 0, f"QEMU exit status {run.exitstatus}\n{run.output}"


@pytest.fixture(scope="module")
def muster_psci():
    return build_psci(f"psci-{PLATFORM}")


@pytest.mark.parametrize("cpus", MUSTER_CPUS)
def test_psci_conformance_on_muster(muster_psci, cpus):
    start = time.monotonic()
    run = boot(muster_psci, cpus, "pflash", image="flash-psci-test.img", timeout=60 + 20 * cpus)
    elapsed = time.monotonic() - start
    assert run.has(r"^boot: PSCI 1\.0 over SMC: "), run.output
    assert run.has(r"^psci-test: PSCI_VERSION returned 0x00010000 \(1\.0\)$"), run.output
    assert_conformant(run, cpus)
    print(f"psci-test on muster, {PLATFORM}, {cpus} CPUs: {elapsed:.1f} s")


def boot_reference(elf, cpus, timeout):
    """QEMU's own PSCI: plain virt (no EL3), secondaries powered off, PSCI over HVC, -kernel ELF."""
    args = ["-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-smp", str(cpus), "-nic", "none",
            "-kernel", elf] + CONSOLE
    child = pexpect.spawn(QEMU, args, cwd=ROOT, timeout=timeout, encoding="utf-8", codec_errors="replace")
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        child.terminate(force=True)
        pytest.fail(f"no power-off within {timeout} s; it printed:\n{child.before}")
    child.close()
    return Boot(child.before, child.exitstatus)


@pytest.mark.skipif(not S["QEMU_MACHINE"].startswith("virt"),
                    reason="QEMU has its own PSCI only on plain virt (platform.mk QEMU_MACHINE)")
def test_psci_payload_on_qemu_reference_psci():
    """The payload itself is right: QEMU's PSCI passes every check it supports."""
    elf = os.path.join(build_psci("psci-hvc", PSCI_CONDUIT="hvc"), "psci-test.elf")
    run = boot_reference(elf, 4, timeout=120)
    assert run.has(r"^psci-test: PSCI conformance test over hvc "), run.output
    assert run.has(r"^psci-test: CPU_ON bad entry: skipped: QEMU's built-in PSCI does not validate"), run.output
    assert_conformant(run, 4, reference=True)
