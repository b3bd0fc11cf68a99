"""Fault injection matrix: slow, late, dead, crashing and hanging secondaries, and hostile mailbox contents."""
import os
import random
import re
import subprocess

import pytest

import pexpect

from conftest import (PLATFORM, QEMU, ROOT, Boot, Console, boot, build, held_suffix, holds_cores, mpidr, number,
                      platform_settings, qemu_args)
from gdbstub import gdb_args, plant
from mailbox import SLOT, stale_slot

SETTINGS = platform_settings(PLATFORM)
CPUS = int(SETTINGS["QEMU_MAX_CPUS"])
RAM_BASE = int(SETTINGS["MUSTER_RAM_BASE"], 0)
# muster's RAM in Secure-only memory (board.h): QEMU's loader cannot write it, the gdbstub can.
SECURE_RAM = int(SETTINGS["PLAT_MUSTER_MEMORY_SECURE"], 0) != 0


def symbol(build_dir, name):
    """(address, size) of a function in the build's ELF."""
    nm = subprocess.run(["arm-none-eabi-nm", "-S", os.path.join(build_dir, "muster.elf")],
                        check=True, capture_output=True, text=True).stdout
    m = re.search(rf"^([0-9a-f]+) ([0-9a-f]+) [tT] {name}$", nm, re.M)
    assert m, f"{name} not in {build_dir}"
    return int(m.group(1), 16), int(m.group(2), 16)


def others_online(run, failed):
    lines = run.cpu_lines()
    for idx in range(1, CPUS):
        if idx not in failed:
            assert re.search(r" online latency \d+ us", lines[idx]), run.output
    assert run.summary() == (CPUS - len(failed), CPUS)
    # The monitor survived and used exactly the CPUs it brought up.
    n = CPUS - len(failed)
    assert run.has(rf"^demo: {n} of {n} CPUs returned verified results$"), run.output
    for idx in failed:
        assert not run.has(rf"^demo: cpu{idx} "), run.output
    assert run.has(r"^muster: done, powering off$"), run.output
    # muster's own releases always wake their CPU: none was served by the pen's poll alone.
    assert not run.has(r"without a wake-up"), run.output


def test_delay_within_deadline_comes_online_late():
    out = build("delay-in", FAULT="delay", FAULT_CPU=3, FAULT_DELAY_MS=400, ACK_TIMEOUT_MS=3000)
    run = boot(out, CPUS)
    m = re.fullmatch(rf"cpu3: mpidr 0x{mpidr(3):08x} online latency (\d+) us", run.cpu_lines()[3])
    assert m, run.output
    assert 400_000 <= int(m.group(1)) < 3_000_000
    others_online(run, failed=set())


def test_delay_beyond_deadline_is_abandoned_and_stays_parked():
    out = build("delay-out", FAULT="delay", FAULT_CPU=2, FAULT_DELAY_MS=1300, ACK_TIMEOUT_MS=1000,
                LINGER_MS=2000)
    run = boot(out, CPUS)
    assert run.cpu_lines()[2] == (f"cpu2: mpidr 0x{mpidr(2):08x} timeout: no acknowledgment within "
                                  f"1000 ms, last stage command{held_suffix(SETTINGS)}"), run.output
    if holds_cores(SETTINGS):
        # Held in reset at its deadline: stopped where it was, it cannot arrive at all.
        assert run.has(r"^cpu2: held in reset since its deadline: it cannot arrive late$"), run.output
        assert not run.has(r"^cpu2: arrived late"), run.output
    else:
        # It arrived after the deadline, read ABANDON, and went back to the pen: it never ran the entry.
        assert run.has(r"^cpu2: arrived late for generation \d+, read ABANDON, stayed parked "
                       r"\(last stage pen\)$"), run.output
    others_online(run, failed={2})


def test_retry_brings_a_late_cpu_online():
    out = build("delay-retry", FAULT="delay", FAULT_CPU=1, FAULT_DELAY_MS=1300, ACK_TIMEOUT_MS=1000,
                BOOT_RETRIES=1)
    run = boot(out, CPUS)
    # Where the board held it in reset at its deadline, the retry restarts it from reset.
    restart = "; CPUs 0x2 restart from reset" if holds_cores(SETTINGS) else ""
    assert run.has(rf"^smp: retry 1: releasing CPUs 0x2 again with a new generation{restart}$"), run.output
    assert re.fullmatch(rf"cpu1: mpidr 0x{mpidr(1):08x} online latency \d+ us after a retry",
                        run.cpu_lines()[1]), run.output
    others_online(run, failed=set())


@pytest.mark.parametrize("stage", ["reset", "pen"])
def test_never_arrives_is_named_and_parked(stage):
    out = build(f"never-{stage}", FAULT="never", FAULT_CPU=1, FAULT_STAGE=stage, ACK_TIMEOUT_MS=1000)
    run = boot(out, CPUS)
    assert run.cpu_lines()[1] == (f"cpu1: mpidr 0x{mpidr(1):08x} timeout: no acknowledgment within 1000 ms, "
                                  f"last stage {stage}{held_suffix(SETTINGS)}"), run.output
    others_online(run, failed={1})


@pytest.mark.parametrize("stage,suffix", [
    ("reset", " (before it took the release)"),
    ("pen", " (before it took the release)"),
    ("command", ""),
    ("proceed", ""),
])
def test_data_abort_is_reported_by_cpu0(stage, suffix):
    out = build(f"abort-{stage}", FAULT="abort", FAULT_CPU=3, FAULT_STAGE=stage, ACK_TIMEOUT_MS=1000)
    run = boot(out, CPUS)
    m = re.fullmatch(rf"cpu3: mpidr 0x{mpidr(3):08x} FAILED: data abort at pc 0x([0-9a-f]{{8}}), "
                     rf"address 0x{RAM_BASE + 2:08x}, last stage (\w+)" + re.escape(suffix),
                     run.cpu_lines()[3])
    assert m, run.output
    assert m.group(2) == stage
    # The reported pc is the injected load inside fault_data_abort(), as the ELF's symbols place it.
    start, size = symbol(out, "fault_data_abort")
    assert start <= int(m.group(1), 16) < start + size
    others_online(run, failed={3})


def test_hang_after_proceed_is_lost_not_online():
    out = build("hang", FAULT="hang", FAULT_CPU=2, ACK_TIMEOUT_MS=1000)
    run = boot(out, CPUS)
    assert run.cpu_lines()[2] == (f"cpu2: mpidr 0x{mpidr(2):08x} lost: told to proceed, no acknowledgment "
                                  "within 1000 ms, last stage proceed"), run.output
    others_online(run, failed={2})


def test_spurious_wakeups_during_bring_up_release_nothing_early():
    out = build("spurious", FAULT="spurious-sev")
    run = boot(out, CPUS)
    others_online(run, failed=set())


def pen_bounds():
    """The pen's poll (include/muster/smp.h, through make print-qemu): period and polls in a row."""
    return number(SETTINGS, "MUSTER_PEN_POLL_US"), number(SETTINGS, "MUSTER_PEN_UNWOKEN_POLLS")


def test_missing_wakeup_is_served_by_the_poll_and_visible():
    """The no-wake build's releaser publishes and never sends the SGI (every target asleep first).
    Parked CPUs sleep in WFI, so only the pen's poll timer finds the command, and then the verdict:
    each waits for MUSTER_PEN_UNWOKEN_POLLS polls in a row before it is taken, is counted in the
    slot, and the report and `cpus` say so."""
    poll_us, polls = pen_bounds()
    out = build("no-wake", FAULT="no-wake", ACK_TIMEOUT_MS=1000, BOOTDELAY=10)
    con = Console(out, CPUS)
    try:
        log = Boot(con.boot_log, None)
        for idx in range(1, CPUS):
            m = re.fullmatch(rf"cpu{idx}: mpidr 0x{mpidr(idx):08x} online latency (\d+) us", log.cpu_lines()[idx])
            assert m, con.boot_log
            # Two steps (command, verdict), each left for polls - 1 whole poll periods at least.
            assert int(m.group(1)) >= 2 * (polls - 1) * poll_us, con.boot_log
            assert log.has(rf"^cpu{idx}: warning: handshake steps taken without a wake-up: 2 \(found by its "
                           rf"{poll_us // 1000} ms poll"), con.boot_log
        assert log.summary() == (CPUS, CPUS)
        rows = con.cmd("cpus").splitlines()
        for idx in range(1, CPUS):
            # wake-ups 0 (none was sent), unwoken 2.
            assert re.match(rf"cpu{idx} +0x{mpidr(idx):08x} +online +pen +\d+ us +0 +0 +2 +on$", rows[idx + 1]), rows
    finally:
        con.close()


@pytest.mark.parametrize("wake", ["sev", "none"])
def test_payload_that_forgets_the_wakeup_is_served_and_sees_it_in_the_slot(wake):
    """The demo payload built with a common mistake: it publishes its commands and sends only SEV (as
    code written for WFE pens does) or nothing. Every CPU still runs its work, and each slot that the
    payload reads through bootinfo's mailbox counts the one step (the command) taken without a wake-up."""
    out = build(f"demo-wake-{wake}", DEMO_WAKE=wake)
    run = boot(out, CPUS)
    assert run.summary() == (CPUS, CPUS)
    assert run.has(rf"^demo: {CPUS} of {CPUS} CPUs returned verified results$"), run.output
    for idx in range(1, CPUS):
        assert run.has(rf"^demo: cpu{idx}: handshake steps its pen took without a wake-up: 1$"), run.output


def _garbage(kind, size):
    if kind == "ones":
        return b"\xff" * size
    if kind == "deadbeef":
        return b"\xef\xbe\xad\xde" * (size // 4)
    if kind == "random":
        return random.Random(1234).randbytes(size)
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["ones", "deadbeef", "random", "stale-valid"])
def test_mailbox_contents_before_boot_never_release(tmp_path, default_build, kind):
    size = SLOT * CPUS
    if kind == "stale-valid":
        # What a previous boot leaves: valid commands, PROCEED verdicts, entries that would park the
        # CPU silently if they were ever taken (so taking one shows up as a missing acknowledgment).
        trap, _ = symbol(default_build, "sleep_forever")
        image = b"".join(stale_slot(epoch=7 + i, gen=5, entry=trap) for i in range(CPUS))
    else:
        image = _garbage(kind, size)
    if SECURE_RAM:
        # Planted through the stopped CPU (Secure at reset), read back before it runs.
        sock = str(tmp_path / "gdb.sock")
        run = boot(default_build, CPUS, extra=gdb_args(sock),
                   after_spawn=lambda: plant(sock, RAM_BASE, image))
    else:
        path = tmp_path / "mailbox.bin"
        path.write_bytes(image)
        run = boot(default_build, CPUS,
                   extra=["-device", f"loader,file={path},addr=0x{RAM_BASE:08x},force-raw=on"])
    others_online(run, failed=set())


def test_a_fault_inside_the_fault_report_prints_one_fixed_line_and_parks():
    """FAULT=reporter: CPU0 faults after its banner, and its exception report faults too (as a
    library fault inside printf would). The nested fault must print its fixed line once through
    the raw UART path and park: no loop, no library, nothing after it."""
    out = build("reporter", FAULT="reporter")
    child = pexpect.spawn(QEMU, qemu_args(out, CPUS), cwd=ROOT, timeout=30, encoding="utf-8",
                          codec_errors="replace")
    try:
        child.expect(r"muster: FATAL: cpu0 fault while reporting a fault; halted")
        text = child.before + child.after
        # Watch a while longer: a looping handler would print again (or something else would).
        child.expect(pexpect.TIMEOUT, timeout=3)
        text += child.before
    finally:
        child.terminate(force=True)
    assert text.count("fault while reporting a fault") == 1, text
    assert re.search(r"muster \d+\.\d+\.\d+ \(", text), text  # the banner came before the fault
    tail = text.split("halted", 1)[1]
    assert tail.strip() == "", f"output after the halt: {tail!r}"
    assert "muster: FATAL: cpu0 data abort" not in text, text  # the report itself never printed


def test_an_image_linking_code_built_for_unaligned_access_is_refused(tmp_path):
    """Every image must be free of unaligned accesses while the MMU is off: linking the newlib
    multilib that -mcpu picks (built with unaligned access allowed) must fail the build."""
    plat = platform_settings(PLATFORM)["PLAT_CFLAGS"]  # the flags that pick the v7-a multilib
    res = subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}",
                          f"BUILD={tmp_path}/b", f"LIBC_MULTILIB={plat}"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode != 0, res.stdout + res.stderr
    assert "links code built for unaligned access" in res.stdout + res.stderr, res.stdout + res.stderr
    assert not os.path.exists(os.path.join(tmp_path, "b", "muster.elf"))
