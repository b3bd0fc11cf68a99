"""Warm resets: system_reset at varied moments during bring-up; RAM (and stale slots) survive each one."""
import io
import random
import re
import socket
import time

import pexpect

from conftest import PLATFORM, QEMU, ROOT, build, platform_settings, qemu_args

CPUS = int(platform_settings(PLATFORM)["QEMU_MAX_CPUS"])
RESETS = 24


def monitor(path):
    for _ in range(100):
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            time.sleep(0.05)
    raise AssertionError("QEMU monitor socket never appeared")


def test_every_boot_after_a_warm_reset_brings_all_cpus_up(tmp_path, default_build):
    sock_path = str(tmp_path / "mon.sock")
    # A board whose power-off ends QEMU outright (orangepi-pc: semihosting) names the make
    # variables of a build that halts instead, so that -no-shutdown's pause-and-reset still works.
    stay_up = dict(v.split("=", 1) for v in platform_settings(PLATFORM)["QEMU_STAY_UP_VARS"].split())
    build_dir = build(f"{PLATFORM}-warm-reset", PLATFORM=PLATFORM, **stay_up) if stay_up else default_build
    args = qemu_args(build_dir, CPUS)
    args[args.index("-monitor") + 1] = f"unix:{sock_path},server=on,wait=off"
    # -no-shutdown: muster's power-off pauses the machine instead of ending QEMU, so we can reset it.
    child = pexpect.spawn(QEMU, args + ["-no-shutdown"], cwd=ROOT, timeout=10,
                          encoding="utf-8", codec_errors="replace")
    log = io.StringIO()
    child.logfile_read = log
    rng = random.Random(2026)
    try:
        mon = monitor(sock_path)
        for i in range(RESETS):
            # Reset at a varied moment after the boot began: most land inside bring-up (which
            # takes about a millisecond here), some in the demo, some after power-off.
            child.expect(r"muster \d+\.\d+\.\d+ \(", timeout=30)
            time.sleep(rng.choice([0.0, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.05, 0.5]))
            mon.sendall(b"system_reset\ncont\n")
        child.expect(r"muster \d+\.\d+\.\d+ \(", timeout=30)
        child.expect(r"muster: done, powering off", timeout=60)  # the last boot, undisturbed
        mon.sendall(b"quit\n")
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.terminate(force=True)
    full = log.getvalue()
    boots = re.split(r"\r?\nmuster \d+\.\d+\.\d+ \(", full)[1:]
    finished = [b for b in boots if re.search(r"smp: \d+ of \d+ CPUs online", b)]
    # Every reset started a boot, and every bring-up that finished found all CPUs: no stale
    # release taken, no CPU lost across a reset.
    assert len(boots) == RESETS + 1, full
    assert len(finished) >= 2, full
    for b in finished:
        assert re.search(rf"smp: {CPUS} of {CPUS} CPUs online", b), b
        assert not re.search(r"timeout:|lost:|FAILED", b), b
    assert full.rstrip().endswith("muster: done, powering off"), full[-2000:]
    print(f"warm resets: {RESETS + 1}, boots started: {len(boots)}, bring-ups finished: {len(finished)}")
