#!/usr/bin/python3
"""`make bench`: image size, reset-to-all-acknowledged in guest time, and what parked cores cost the host."""
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PLATFORM = os.environ.get("PLATFORM", "vexpress-a9")


def make(*args):
    subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", *args], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)


def settings():
    out = subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", "print-qemu"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return dict(l.split("=", 1) for l in out.strip().splitlines())


S = settings()


def qemu(binary, cpus, extra=(), timeout=300):
    """Run to power-off; return (output, host CPU seconds QEMU used, wall seconds)."""
    args = ["qemu-system-arm", "-M", S["QEMU_MACHINE"], "-m", S["QEMU_MEM"], "-smp", str(cpus),
            "-nographic", "-monitor", "none", "-nic", "none", *S["QEMU_QUIET"].split(),
            "-bios", binary, *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout).stdout
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, cpu, wall


def main():
    make("all")
    build = os.path.join(ROOT, "build", PLATFORM)
    print(f"bench: platform {PLATFORM}")
    size = subprocess.run(["arm-none-eabi-size", os.path.join(build, "muster.elf")],
                          capture_output=True, text=True, check=True).stdout.splitlines()[1].split()
    print(f"bench: image size: text {size[0]} B, data {size[1]} B, bss {size[2]} B "
          f"(bss counts the NOLOAD .mailbox and per-CPU .stacks too); "
          f"flash image {os.path.getsize(os.path.join(build, 'muster.bin'))} B")

    print("bench: reset to all secondaries acknowledged, guest time under -icount shift=0:")
    for cpus in range(1, int(S["QEMU_MAX_CPUS"]) + 1):
        out, _, _ = qemu(os.path.join(build, "muster.bin"), cpus, ["-icount", "shift=0"])
        m = re.search(r"smp: bring-up took (\d+) us \(release to last decision\), (\d+) us since timer start", out)
        if not m or f"smp: {cpus} of {cpus} CPUs online" not in out:
            print(out)
            sys.exit(f"bench: the {cpus}-CPU boot did not bring every CPU up")
        print(f"bench:   {cpus} CPU(s): {m.group(2):>6} us from reset (timer start), "
              f"{m.group(1):>6} us release to last acknowledgment")

    hold_ms = 3000
    cpus = int(S["QEMU_MAX_CPUS"])
    print(f"bench: host CPU time while the secondaries stay parked for {hold_ms} ms of guest time:")
    results = {}
    for label, extra in (("wfi-pen", []), ("wfe-pen", ["BENCH_WFE_PEN=1"])):
        make(f"HOLD_MS={hold_ms}", *extra)
        variant = f"{PLATFORM}-r0-l0-h{hold_ms}" + ("-wfepen" if extra else "")
        binary = os.path.join(ROOT, "build", variant, "muster.bin")
        for n in (1, cpus):
            out, cpu, wall = qemu(binary, n)
            assert f"smp: {n} of {n} CPUs online" in out, out
            results[(label, n)] = cpu
            print(f"bench:   {label} {n} CPU(s): {cpu:5.2f} s host CPU, {wall:5.2f} s wall")
    idle = results[("wfi-pen", cpus)] - results[("wfi-pen", 1)]
    poll = results[("wfe-pen", cpus)] - results[("wfe-pen", 1)]
    print(f"bench: parked-core cost: {idle:.2f} s host CPU for {cpus - 1} cores parked in WFI "
          f"over {hold_ms / 1000:.0f} s ({idle / (hold_ms / 1000) / (cpus - 1) * 100:.1f}% of a host core each); "
          f"a WFE pen would cost {poll:.2f} s")


if __name__ == "__main__":
    main()
