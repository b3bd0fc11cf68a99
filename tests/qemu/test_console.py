"""The serial console, driven as an engineer would: every command, its errors, editing keys, Ctrl-C."""
import re
import struct
import zlib

import pexpect
import pytest

from conftest import (PLATFORM, PROMPT, QEMU, QEMU_MAJOR, ROOT, Console, build, held_suffix, holds_cores,
                      models_system_reset, mpidr, number, outside_known_memory, platform_settings, qemu_args)

S = platform_settings(PLATFORM)
CPUS = int(S["QEMU_MAX_CPUS"])
RAM = int(S["PLAT_RAM_BASE"], 0)  # the payload RAM's base (muster's own RAM may lie elsewhere: virt's is Secure)
SCRATCH = RAM + 0x00200000


NOWHERE = outside_known_memory()  # none of the board's memory windows


@pytest.fixture(scope="module")
def console():
    con = Console(build("console", BOOTDELAY=10))
    yield con
    con.close()


def arm_words(*words):
    return " ".join(f"0x{w:08x}" for w in words)


def poke(con, addr, words):
    for i, w in enumerate(words):
        assert con.cmd(f"mw.w 0x{addr + 4 * i:08x} 0x{w:08x}") == ""


def test_help_lists_every_command(console):
    out = console.cmd("help")
    for name in ["help", "version", "cpus", "release", "timeout", "md", "mw", "crc32", "go", "boot",
                 "stress", "reset", "loglevel"]:
        assert re.search(rf"^  {name} ", out, re.M), out


def test_version(console):
    assert re.fullmatch(rf"muster \d+\.\d+\.\d+ \({PLATFORM}, build \S+\)", console.cmd("version"))


def test_cpus_table(console):
    out = console.cmd("cpus").splitlines()
    assert out[0].split() == ["cpu", "mpidr", "state", "last", "stage", "latency", "retries", "wake-ups",
                              "unwoken", "power"]
    assert len(out) == 1 + CPUS
    assert re.match(r"cpu0 +0x80000000 +online .* on$", out[1])
    for idx in range(1, CPUS):
        # Woken by muster's SGI at least once (the release), never served by the poll alone.
        assert re.match(rf"cpu{idx} +0x{mpidr(idx):08x} +online +pen +\d+ us +0 +[1-9]\d* +0 +on$",
                        out[idx + 1]), out


def test_numbers_and_widths(console):
    poke(console, SCRATCH, [0x11223344, 0x55667788])
    assert console.cmd(f"md 0x{SCRATCH:x} 2") == f"{SCRATCH:08x}: 11223344 55667788"
    assert console.cmd(f"md.w {SCRATCH} 1") == f"{SCRATCH:08x}: 11223344"  # decimal address
    assert console.cmd(f"md.h 0x{SCRATCH:x} 2") == f"{SCRATCH:08x}: 3344 1122"
    assert console.cmd(f"md.b 0x{SCRATCH + 1:x} 3") == f"{SCRATCH + 1:08x}: 33 22 11"
    assert console.cmd(f"mw.b 0x{SCRATCH:x} 0xaa 2") == ""
    assert console.cmd(f"mw.h 0x{SCRATCH + 4:x} 0xbeef") == ""
    assert console.cmd(f"md 0x{SCRATCH:x} 2") == f"{SCRATCH:08x}: 1122aaaa 5566beef"


@pytest.mark.parametrize("line,error", [
    ("frobnicate", "error: unknown command 'frobnicate' (try help)"),
    ("md", "error: usage: md <addr> [count]"),
    ("md zz", "error: address 'zz' is not a number (decimal, or hex with 0x)"),
    ("md 0x4294967296", "error: address '0x4294967296' is not a number (decimal, or hex with 0x)"),
    ("md 4294967296", "error: address '4294967296' is not a number (decimal, or hex with 0x)"),
    ("md.w 0x61", "error: 0x00000061 is not 4-byte aligned"),
    ("md.h 0x61", "error: 0x00000061 is not 2-byte aligned"),
    ("md 0 0", "error: count 0 out of range 1..4096"),
    ("md 0xfffffff0 8", "error: the range runs past the end of the address space"),
    ("mw.b 0x60000000 0x100", "error: value 0x100 does not fit 1 byte(s)"),
    ("mw 0x63f00000 1", "error: refusing to write muster's own memory (mailbox, data, stacks)"),
    (f"crc32 0x{NOWHERE:08x} 16", f"error: 0x{NOWHERE:08x}+0x10 is not inside RAM or flash"),
    (f"go 0x{NOWHERE:08x}", f"error: 0x{NOWHERE:08x} is not an entry address"),
    ("timeout 0", "error: timeout 0 ms out of range 1..600000"),
    ("timeout 600001", "error: timeout 600001 ms out of range 1..600000"),
    ("release 0", "error: cpu0 runs this console; it cannot be released"),
    (f"release {CPUS}", f"error: no cpu{CPUS}: this board reports {CPUS} CPUs"),
    ("release x", "error: cpu 'x' is not a number (decimal, or hex with 0x)"),
    ("loglevel 3", "error: log level is 0 (quiet), 1 (normal) or 2 (verbose)"),
    ("a b c d e f g h i", "error: too many words (at most 8)"),
])
def test_errors_get_one_line_reasons(console, line, error):
    if "0x63f00000" in line:
        line = line.replace("0x63f00000", S["MUSTER_RAM_BASE"])
    if line.startswith("mw.b 0x60000000"):
        line = line.replace("0x60000000", f"0x{SCRATCH:x}")
    out = console.cmd(line)
    assert out.startswith(error), out
    assert len(out.splitlines()) == 1, out


def test_crc32_matches_zlib(console):
    poke(console, SCRATCH, [0x12345678, 0x9abcdef0, 0xdeadbeef])
    expect = zlib.crc32(struct.pack("<3I", 0x12345678, 0x9abcdef0, 0xdeadbeef))
    assert console.cmd(f"crc32 0x{SCRATCH:x} 12") == f"crc32 0x{SCRATCH:08x}+0xc: 0x{expect:08x}"


def test_go_runs_code_on_cpu0(console):
    poke(console, SCRATCH + 0x40, [0xE3A0002A, 0xE12FFF1E])  # mov r0, #42; bx lr
    assert console.cmd(f"go 0x{SCRATCH + 0x40:x}") == \
        f"go: calling 0x{SCRATCH + 0x40:08x} on cpu0\ngo: returned 0x0000002a"


def test_release_at_an_address_runs_there(console):
    """release <cpu> <addr>: cpu1 runs code we wrote, which stores its own MPIDR where we look."""
    code = SCRATCH + 0x100
    # mrc p15,0,r0,c0,c0,5 ; ldr r1,[pc,#4] ; str r0,[r1] ; bx lr ; .word result
    poke(console, code, [0xEE100FB0, 0xE59F1004, 0xE5810000, 0xE12FFF1E, SCRATCH + 0x180])
    poke(console, SCRATCH + 0x180, [0])
    out = console.cmd(f"release 1 0x{code:x}")
    assert re.search(rf"^cpu1: mpidr 0x{mpidr(1):08x} online latency \d+ us", out, re.M), out
    assert console.cmd(f"md 0x{SCRATCH + 0x180:x} 1") == f"{SCRATCH + 0x180:08x}: {mpidr(1):08x}"


def test_timeout_and_loglevel(console):
    assert console.cmd("timeout") == "timeout: 5000 ms"
    assert console.cmd("timeout 0x7d0") == "timeout: 2000 ms"
    assert console.cmd("timeout 5000") == "timeout: 5000 ms"
    assert console.cmd("loglevel") == "loglevel: 1"
    assert console.cmd("loglevel 0") == "loglevel: 0"
    assert console.cmd("loglevel 1") == "loglevel: 1"


def test_editing_keys(console):
    console.child.send("versiom\bn\r")  # backspace
    console.child.expect_exact(PROMPT)
    assert re.search(r"muster \d+\.\d+\.\d+", console.child.before)
    console.child.send("cpus garbage\x03")  # Ctrl-C drops the line
    console.child.expect_exact(PROMPT)
    assert "^C" in console.child.before and "error" not in console.child.before
    console.child.send("\x1b[A\r")  # up: the last line run (version), again
    console.child.expect_exact(PROMPT)
    assert re.search(r"muster \d+\.\d+\.\d+", console.child.before)


def test_stress_10000_cycles_without_failure(console):
    out = console.cmd("stress 10000", timeout=600)
    assert f"stress: 10000 park/release cycles over CPUs 0x{((1 << CPUS) - 1) & ~1:x} (Ctrl-C stops)" in out
    assert "stress: 10000 cycles done" in out
    for idx in range(1, CPUS):
        assert f"stress: cpu{idx}: 0 failures" in out, out
    m = re.search(r"stress: latency min (\d+) us, median (\d+) us, max (\d+) us over (\d+) releases", out)
    assert m and int(m.group(1)) <= int(m.group(2)) <= int(m.group(3)), out
    assert int(m.group(4)) == min(10000 * (CPUS - 1), 32768)
    print(out)


def test_ctrl_c_cancels_a_running_stress(console):
    console.child.send("stress 100000000\r")
    console.child.expect("Ctrl-C stops")
    console.child.send("\x03")
    console.child.expect_exact(PROMPT, timeout=60)
    out = console.child.before
    assert "stress: cancelled" in out, out
    m = re.search(r"stress: (\d+) cycles done", out)
    assert m and int(m.group(1)) < 100000000


def test_release_brings_a_delayed_core_online():
    con = Console(build("console-delay", BOOTDELAY=10, FAULT="delay", FAULT_CPU=2, FAULT_DELAY_MS=1500,
                        ACK_TIMEOUT_MS=1000))
    try:
        assert re.search(rf"cpu2: mpidr 0x{mpidr(2):08x} timeout: no acknowledgment within 1000 ms, last stage "
                         rf"command{held_suffix(S)}\r*$", con.boot_log, re.M), con.boot_log
        power = "held" if holds_cores(S) else "on"
        assert re.search(rf"^cpu2 +0x{mpidr(2):08x} +timeout .* {power}$", con.cmd("cpus"), re.M)
        con.child.expect(pexpect.TIMEOUT, timeout=1)  # let the late core reach its pen
        out = con.cmd("release 2")
        assert re.search(rf"^cpu2: mpidr 0x{mpidr(2):08x} online latency \d+ us after a retry$", out, re.M), out
        assert re.search(rf"^cpu2 +0x{mpidr(2):08x} +online .* 1 +\d+ +0 +on$", con.cmd("cpus"), re.M)
    finally:
        con.close()


def test_a_lost_core_is_never_released_again():
    con = Console(build("console-hang", BOOTDELAY=10, FAULT="hang", FAULT_CPU=1, ACK_TIMEOUT_MS=1000))
    try:
        out = con.cmd("release 1")
        assert out == ("error: cpu1 was told to proceed and never acknowledged: it may be running, "
                       "so it is never released again"), out
        out = con.cmd("stress 5")
        assert f"stress: 5 cycles done" in out and "cpu1" not in out, out
    finally:
        con.close()


@pytest.mark.skipif(not S["QEMU_ABORT_ADDR"], reason="platform.mk names no QEMU_ABORT_ADDR: QEMU's model of "
                    "this board ignores accesses to unmapped addresses (no abort to report)")
def test_md_of_an_unmapped_address_reports_the_abort(console):
    addr = number(S, "QEMU_ABORT_ADDR")
    out = console.cmd(f"md 0x{addr:08x} 4")
    assert out.endswith(f"md: data abort reading 0x{addr:08x} (fault address 0x{addr:08x})"), out
    assert console.cmd(f"mw 0x{addr:08x} 1") == f"mw: data abort writing 0x{addr:08x} (fault address 0x{addr:08x})"
    assert re.match(r"muster ", console.cmd("version"))  # the prompt survived


def test_boot_from_the_prompt_runs_the_payload():
    con = Console(build("console", BOOTDELAY=10))
    try:
        con.child.send("boot\r")
        con.child.expect(rf"demo: {CPUS} of {CPUS} CPUs returned verified results")
        con.child.expect(pexpect.EOF)
    finally:
        con.close()


@pytest.mark.skipif(not models_system_reset(S), reason=f"QEMU {QEMU_MAJOR} does not model the board's reset")
def test_reset_reboots():
    con = Console(build("console", BOOTDELAY=10))
    try:
        con.child.send("reset\r")
        con.child.expect("reset: resetting the board")
        con.child.expect(r"muster \d+\.\d+\.\d+ \(")
        con.child.expect(rf"smp: {CPUS} of {CPUS} CPUs online")
    finally:
        con.close()
