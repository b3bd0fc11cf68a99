"""The Secure/Non-secure boundary of muster's PSCI firmware, attacked from the Non-secure world.

The PSCI test payload (payload/psci-test) in its attack modes, booted by muster as a kernel:
`fill` writes a pattern over all of its Non-secure RAM, `secure-access` reads and writes the
firmware's Secure memory, `fuzz` makes >= 100,000 SMCs with random function IDs and arguments.
After each, CPU_ON/CPU_OFF must still work on every secondary and muster's own summary at
SYSTEM_OFF must count exactly the calls the payload saw succeed. Which boards qualify comes
from the build (`make print-qemu`): PSCI firmware (PLAT_HAS_PSCI), and for the memory attacks
muster's memory out of the Non-secure world's reach (PLAT_MUSTER_MEMORY_SECURE, PLAT_HAS_TZASC).
"""
import os
import random
import re
import subprocess

import pytest

from conftest import PLATFORM, ROOT, boot, platform_settings

S = platform_settings(PLATFORM)
HAS_PSCI = int(S["PLAT_HAS_PSCI"], 0) != 0
MEMORY_SECURE = int(S["PLAT_MUSTER_MEMORY_SECURE"], 0) != 0 or int(S["PLAT_HAS_TZASC"], 0) != 0
MIN_CPUS, MAX_CPUS = int(S["QEMU_MIN_CPUS"]), int(S["QEMU_MAX_CPUS"])
RAM_BASE, RAM_SIZE = int(S["PLAT_RAM_BASE"], 0), int(S["PLAT_RAM_SIZE"], 0)
FILL_CYCLES = 20  # payload/psci-test/psci-test.c FILL_CYCLES: CPU_ON/CPU_OFF cycles per secondary
ONOFF_CYCLES = 2  # ... ONOFF_CYCLES, after the other attacks
FUZZ_CALLS = 100_000
# A new fuzz seed every run (PSCI_FUZZ_SEED=0x... repeats one); a failure prints it.
FUZZ_SEED = int(os.environ.get("PSCI_FUZZ_SEED", "0"), 0) or random.SystemRandom().randrange(1, 1 << 32)

needs_psci = pytest.mark.skipif(not HAS_PSCI, reason=f"{PLATFORM}: no PSCI firmware (board.h PLAT_HAS_PSCI)")
needs_secure_memory = pytest.mark.skipif(
    not HAS_PSCI or not MEMORY_SECURE,
    reason=f"{PLATFORM}: no PSCI firmware (board.h PLAT_HAS_PSCI)" if not HAS_PSCI else
    f"{PLATFORM}: muster's memory is Non-secure there (board.h PLAT_MUSTER_MEMORY_SECURE, PLAT_HAS_TZASC): "
    "a Non-secure OS can reach it, as its banner and docs/psci.md say")


def cpu_counts():
    """2, 4 and the board's maximum, as far as the board allows them."""
    return sorted({n for n in (2, 4, MAX_CPUS) if MIN_CPUS <= n <= MAX_CPUS})


@pytest.fixture(scope="module")
def attack_build():
    """`make psci-test`: muster and the payload's mode images (flash-psci-test-<mode>.img)."""
    if not HAS_PSCI:
        pytest.skip(f"{PLATFORM}: no PSCI firmware")
    out = os.path.join("build", "test", f"psci-{PLATFORM}")
    subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={out}", f"PLATFORM={PLATFORM}", "BOOTDELAY=0",
                    f"PSCI_TEST_ARGS=psci-test.seed=0x{FUZZ_SEED:08x}", "psci-test"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


def run_mode(build_dir, mode, cpus, timeout=120):
    run = boot(build_dir, cpus, "pflash", image=f"flash-psci-test-{mode}.img", timeout=timeout)
    assert run.has(rf'^psci-test: mode {mode} \(/chosen/bootargs "psci-test={mode}\b'), run.output
    return run


def assert_checks(run, names):
    """Every check ok, each named one (regexes) exactly once and no other, a clean power-off."""
    checks = [l for l in run.lines if re.match(r"psci-test: .*: (ok|FAIL\b.*)$", l)]
    failed = [l for l in checks if not l.endswith(": ok")]
    assert not failed, "\n".join(failed) + f"\n(fuzz seed 0x{FUZZ_SEED:08x})\n\n" + run.output
    for name in names:
        found = [l for l in checks if re.fullmatch(rf"psci-test: {name}: ok", l)]
        assert len(found) == 1, f"check '{name}': {found}\n{run.output}"
    assert len(checks) == len(names), f"unexpected checks: {checks}\n{run.output}"
    assert run.has(rf"^psci-test: done: {len(names)} checks, 0 failed$"), run.output
    assert run.exitstatus == 0, f"QEMU exit status {run.exitstatus}\n{run.output}"


def common_checks(cpus):
    return ["boot entry", r"CNTFRQ [1-9]\d* Hz", "PSCI_VERSION", "AFFINITY_INFO: CPU count and states"]


def after_checks(cpus):
    return [rf"CPU_ON/CPU_OFF cpu{i}" for i in range(1, cpus)] + [
        "all secondaries OFF", "no exceptions or failed CPU_OFF on secondaries"]


def assert_counts_match(run, on=None):
    """muster's SYSTEM_OFF summary counts exactly the CPU_ON and CPU_OFF calls that succeeded."""
    m = re.search(r"^psci-test: calls that succeeded: (\d+) CPU_ON, (\d+) CPU_OFF$", "\n".join(run.lines), re.M)
    assert m, run.output
    ours = tuple(int(x) for x in m.groups())
    m = re.search(r"^psci: SYSTEM_OFF from cpu0: (\d+) CPU_ON \((\d+) more released and failed\), (\d+) CPU_OFF, "
                  r"\d+ late wake-ups absorbed by the monitor$", "\n".join(run.lines), re.M)
    assert m, run.output
    theirs = (int(m.group(1)), int(m.group(3)))
    assert int(m.group(2)) == 0, run.output
    assert theirs == ours, f"muster counted {theirs}, the payload {ours}\n{run.output}"
    assert ours[0] == ours[1], run.output  # every CPU it turned on went off again
    if on is not None:
        assert ours[0] == on, run.output
    return ours


def assert_boundary_banner(run):
    assert run.has(r"^psci: monitor memory (is Secure-only|\(RAM .*\) is made Secure-only)"), run.output


@needs_secure_memory
@pytest.mark.parametrize("cpus", cpu_counts())
def test_nonsecure_ram_overwrite_changes_nothing_in_the_monitor(attack_build, cpus):
    """The issue's scenario: a Non-secure kernel writes over every word of its RAM (all of
    PLAT_RAM_* but its own image), then turns every secondary on and off FILL_CYCLES times."""
    run = run_mode(attack_build, "fill", cpus)
    assert_boundary_banner(run)
    m = re.search(r"^psci-test: fill: (\d+) words of 0x([0-9a-f]{8})-0x([0-9a-f]{8}) written \(all of it but our "
                  r"own 0x([0-9a-f]{8})-0x([0-9a-f]{8})\)", "\n".join(run.lines), re.M)
    assert m, run.output
    words, lo, hi, own_lo, own_hi = int(m.group(1)), *(int(x, 16) for x in m.groups()[1:])
    assert (lo, hi) == (RAM_BASE, RAM_BASE + RAM_SIZE - 1), run.output
    assert words == (RAM_SIZE - (own_hi + 1 - own_lo)) // 4, run.output
    assert_checks(run, common_checks(cpus) + after_checks(cpus) +
                  [r"Non-secure RAM still holds the fill \(0 words changed\)"])
    on, off = assert_counts_match(run, on=FILL_CYCLES * (cpus - 1))
    print(f"fill, {PLATFORM}, {cpus} CPUs: {words} words overwritten, {on} CPU_ON / {off} CPU_OFF rounds, "
          "muster's summary equal")


@needs_secure_memory
def test_nonsecure_access_to_secure_memory_faults_in_the_payload(attack_build):
    """Reads and writes of muster's RAM, the rest of the Secure RAM and muster's flash, from the
    Non-secure world: each must be an external abort taken by the payload (synchronous, as QEMU
    and a TZASC's error response give, or asynchronous, as silicon may report a refused write),
    never a completed access and never an exception in the monitor."""
    cpus = MAX_CPUS
    run = run_mode(attack_build, "secure-access", cpus)
    assert_boundary_banner(run)
    regions = re.findall(r"^psci-test: secure-access: (.*) 0x[0-9a-f]{8}-0x[0-9a-f]{8}: (\d+) reads, (\d+) writes of "
                         r"0x[0-9a-f]{8}: (\d+) synchronous and (\d+) asynchronous external aborts",
                         "\n".join(run.lines), re.M)
    assert "muster's RAM" in [r[0] for r in regions], run.output
    names = []
    for what, reads, writes, sync, asynchronous in regions:
        assert int(reads) > 0 and int(writes) > 0, run.output
        assert int(sync) + int(asynchronous) == int(reads) + int(writes), run.output
        names.append(f"Non-secure reads and writes of {re.escape(what)} abort in the payload")
    assert_checks(run, common_checks(cpus) + names + after_checks(cpus))
    assert_counts_match(run, on=ONOFF_CYCLES * (cpus - 1))


@needs_psci
def test_smc_fuzz_leaves_the_monitor_unchanged(attack_build):
    """>= 100,000 SMCs with random function IDs (every PSCI and SMCCC ID among them) and random
    arguments, from the boot CPU and from the CPUs its successful CPU_ONs start; every answer
    one the specification allows, the firmware's answers unchanged afterwards, CPU_ON/CPU_OFF
    working on every secondary, and muster's summary equal to the calls that succeeded."""
    cpus = MAX_CPUS
    run = run_mode(attack_build, "fuzz", cpus)
    text = "\n".join(run.lines)
    m = re.search(r"^psci-test: fuzz: seed 0x([0-9a-f]{8}): (\d+) calls from cpu0 \(each of the (\d+) PSCI and SMCCC "
                  r"IDs (\d+) times .*; (\d+) IDs never called: they end the run\) and (\d+) from the (\d+) CPUs it "
                  r"started", text, re.M)
    assert m, run.output
    seed, boot_calls, ids, per_id, never, sec_calls, started = int(m.group(1), 16), *map(int, m.groups()[1:])
    assert seed == FUZZ_SEED, run.output
    assert boot_calls >= FUZZ_CALLS and ids == 70 and per_id >= 100, run.output
    assert never == 2, run.output  # SYSTEM_OFF and SYSTEM_RESET only
    assert run.has(r"^psci-test: fuzz: 0 monitor state changes$"), run.output
    assert_checks(run, common_checks(cpus) + [
        "SMC fuzz: every CPU it started is off again",
        rf"SMC fuzz: {boot_calls + sec_calls} calls, every answer one the specification allows",
        "SMC fuzz: r1-r3 returned 0 and r4-r14 preserved by every call",
        "SMC fuzz: one entry per successful CPU_ON, with its context_id",
        "SMC fuzz: the firmware answers as before it"] + after_checks(cpus))
    on, off = assert_counts_match(run, on=started + ONOFF_CYCLES * (cpus - 1))
    print(f"fuzz, {PLATFORM}, {cpus} CPUs, seed 0x{seed:08x}: {boot_calls + sec_calls} calls ({boot_calls} from "
          f"cpu0, {sec_calls} from {started} started CPUs), 0 monitor state changes; muster's summary "
          f"{on} CPU_ON, {off} CPU_OFF")
