#!/usr/bin/python3
"""`make bench`: image size, reset-to-all-acknowledged in guest time, and what parked cores cost the host."""
import os
import re
import resource
import statistics
import subprocess
import sys
import time

# The serial console on stdio, Ctrl-C passed to the guest (it cancels a line or a stress).
CONSOLE = ["-display", "none", "-chardev", "stdio,id=con,mux=on,signal=off", "-serial", "chardev:con",
           "-monitor", "none"]
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
QEMU = S["QEMU"]  # QEMU >= 10 by default (tools/get-qemu.sh), as the tests use


def qemu(binary, cpus, extra=(), timeout=300):
    """Run to power-off; return (output, host CPU seconds QEMU used, wall seconds)."""
    args = [QEMU, "-M", S["QEMU_MACHINE"], "-m", S["QEMU_MEM"], "-smp", str(cpus),
            *CONSOLE, "-nic", "none", *S["QEMU_QUIET"].split(),
            "-bios", binary, *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout).stdout
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out, cpu, wall


def main():
    build = os.path.join(ROOT, "build", "bench")
    make(f"BUILD={build}", "BOOTDELAY=0", "all")
    print(f"bench: platform {PLATFORM}")
    size = subprocess.run(["arm-none-eabi-size", os.path.join(build, "muster.elf")],
                          capture_output=True, text=True, check=True).stdout.splitlines()[1].split()
    print(f"bench: image size: text {size[0]} B, data {size[1]} B, bss {size[2]} B "
          f"(bss counts the NOLOAD .mailbox and per-CPU .stacks too); "
          f"flash image {os.path.getsize(os.path.join(build, 'muster.bin'))} B")

    print("bench: reset to all secondaries acknowledged, guest time under -icount shift=0:")
    for cpus in range(1, int(S["QEMU_MAX_CPUS"]) + 1):
        out, _, _ = qemu(os.path.join(build, "flash-demo.img"), cpus, ["-icount", "shift=0"])
        m = re.search(r"smp: bring-up took (\d+) us \(release to last decision\), (\d+) us since timer start", out)
        if not m or f"smp: {cpus} of {cpus} CPUs online" not in out:
            print(out)
            sys.exit(f"bench: the {cpus}-CPU boot did not bring every CPU up")
        print(f"bench:   {cpus} CPU(s): {m.group(2):>6} us from reset (timer start), "
              f"{m.group(1):>6} us release to last acknowledgment")

    hold_ms = 3000
    cpus = int(S["QEMU_MAX_CPUS"])
    reps = 3
    print(f"bench: host CPU time while the secondaries stay parked for {hold_ms} ms of guest time "
          f"(medians of {reps} alternating runs):")
    # The pen's 10 ms poll against a 1 s one (about as if it never polled), and a WFE pen.
    variants = (("wfi-pen", []), ("wfi-pen-1s-poll", ["PEN_POLL_US=1000000"]), ("wfe-pen", ["BENCH_WFE_PEN=1"]))
    binaries = {}
    for label, extra in variants:
        variant = os.path.join(ROOT, "build", f"bench-{label}")
        make(f"BUILD={variant}", f"HOLD_MS={hold_ms}", "BOOTDELAY=0", *extra)
        binaries[label] = os.path.join(variant, "flash-demo.img")
    samples = {}
    for _ in range(reps):  # alternating: every variant once per round, so load drifts hit them alike
        for label, _extra in variants:
            for n in (1, cpus):
                out, cpu, _wall = qemu(binaries[label], n)
                assert f"smp: {n} of {n} CPUs online" in out, out
                samples.setdefault((label, n), []).append(cpu)
    results = {k: statistics.median(v) for k, v in samples.items()}
    for label, _extra in variants:
        for n in (1, cpus):
            print(f"bench:   {label} {n} CPU(s): {results[(label, n)]:5.2f} s host CPU")
    idle = results[("wfi-pen", cpus)] - results[("wfi-pen", 1)]
    quiet = results[("wfi-pen-1s-poll", cpus)] - results[("wfi-pen-1s-poll", 1)]
    poll = results[("wfe-pen", cpus)] - results[("wfe-pen", 1)]
    print(f"bench: parked-core cost: {idle:.2f} s host CPU for {cpus - 1} cores parked in WFI with the 10 ms poll "
          f"over {hold_ms / 1000:.0f} s ({idle / (hold_ms / 1000) / (cpus - 1) * 100:.1f}% of a host core each); "
          f"with a 1 s poll {quiet:.2f} s; a WFE pen would cost {poll:.2f} s")


def timed_run(args, marks, timeout=300, stop_after=None):
    """Run QEMU; return (output, {mark: wall seconds from start to the first line matching it}).
    With `stop_after`, end QEMU once that mark has been seen."""
    t0 = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    seen, out = {}, []
    for raw in proc.stdout:
        line = raw.decode(errors="replace").rstrip()
        out.append(line)
        for name, pattern in marks.items():
            if name not in seen and re.search(pattern, line):
                seen[name] = time.monotonic() - t0
        if time.monotonic() - t0 > timeout or (stop_after and stop_after in seen):
            proc.kill()
            break
    proc.wait()
    return "\n".join(out), seen


def linux_bringup(out):
    t = dict((m.group(2), float(m.group(1))) for m in re.finditer(
        r"\[\s*(\d+\.\d+)\] smp: (Bringing up secondary|Brought up)", out))
    return t["Brought up"] - t["Bringing up secondary"]


def fetch_linux():
    """Debian's kernel, DTBs and initramfs (tools/fetch-linux.sh, cached): their directory."""
    subprocess.run(["bash", "tools/fetch-linux.sh"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, "build", "linux")


def linux_bench(runs=5):
    lx = fetch_linux()
    out_dir = os.path.join("build", "bench-linux")
    subprocess.run(["make", "-s", "--no-print-directory", f"BUILD={out_dir}", "flash", "BOOTDELAY=0",
                    f"KERNEL={lx}/vmlinuz", f"DTB={lx}/vexpress-v2p-ca9.dtb",
                    f"INITRD={lx}/initramfs.cpio.gz", "BOOTARGS=console=ttyAMA0"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    flash = os.path.join(ROOT, out_dir, "flash.img")
    base = [QEMU, "-M", S["QEMU_MACHINE"], "-m", S["QEMU_MEM"], "-smp", "4", *CONSOLE, "-nic", "none", *S["QEMU_QUIET"].split()]
    via_muster = base + ["-drive", f"if=pflash,format=raw,snapshot=on,file={flash}"]
    via_qemu = base + ["-kernel", f"{lx}/vmlinuz", "-dtb", f"{lx}/vexpress-v2p-ca9.dtb",
                       "-initrd", f"{lx}/initramfs.cpio.gz", "-append", "console=ttyAMA0"]

    out, _ = timed_run(via_muster + ["-icount", "shift=0"], {"entry": r"boot: verified in"}, timeout=120,
                       stop_after="entry")
    m = re.search(r"boot: verified in (\d+) us, copied (\d+) bytes in (\d+) us, entry at (\d+) us", out)
    if not m:
        sys.exit("bench: the Linux flash boot did not reach the kernel entry:\n" + out[-3000:])
    print(f"bench: Linux payload, guest time under -icount shift=0: reset to kernel entry {int(m.group(4))} us; "
          f"of that, copying {int(m.group(2))} bytes {int(m.group(3))} us, verifying (CRC) {int(m.group(1))} us; "
          f"entry / copy = {int(m.group(4)) / max(1, int(m.group(3))):.2f}")

    marks = {"first": r"Booting Linux on physical CPU", "init": r"^initramfs: cpus online"}
    figures = {"muster": [], "qemu": []}  # per run: (wall to first message, wall to initramfs, bring-up)
    print(f"bench: Linux on {PLATFORM}, 4 CPUs, through muster and QEMU's -kernel boot, {runs} alternating runs each:")
    for i in range(runs):
        for label, args in (("muster", via_muster), ("qemu", via_qemu)):
            out, seen = timed_run(args, marks)
            if "init" not in seen:
                sys.exit(f"bench: Linux through {label} did not reach the initramfs:\n" + out[-3000:])
            figures[label].append((seen["first"], seen["init"], linux_bringup(out)))
            print(f"bench:   run {i + 1} {label:6}: first message {seen['first']:5.2f} s, initramfs "
                  f"{seen['init']:5.2f} s wall; Linux bring-up {figures[label][-1][2] * 1000:6.1f} ms guest")
    med = {k: [statistics.median(run[j] for run in v) for j in range(3)] for k, v in figures.items()}
    for label in ("muster", "qemu"):
        print(f"bench: Linux 4 CPUs through {label:6} (median): first message {med[label][0]:5.2f} s, "
              f"initramfs {med[label][1]:5.2f} s wall; Linux bring-up {med[label][2] * 1000:6.1f} ms guest")
    # Each muster run is paired with the QEMU run that follows it: the median of those ratios
    # cancels slow drifts of the host's load that the ratio of the medians does not.
    pair = [statistics.median(m[j] / q[j] for m, q in zip(figures["muster"], figures["qemu"])) for j in range(3)]
    print(f"bench: ratio muster / QEMU -kernel (medians): Linux bring-up {med['muster'][2] / med['qemu'][2]:.2f}, "
          f"wall to first message {med['muster'][0] / med['qemu'][0]:.2f}, wall to initramfs "
          f"{med['muster'][1] / med['qemu'][1]:.2f} (goal <= 1.2); median of the paired runs' ratios: "
          f"{pair[2]:.2f}, {pair[0]:.2f}, {pair[1]:.2f}")


def psci_linux_bench(runs=5, rounds=20, cpus=4):
    """Linux on virt with 4 CPUs through muster's PSCI (secure=on, muster in flash, Linux started
    Non-secure, PSCI over SMC) against QEMU's built-in PSCI (plain virt, -kernel, PSCI over HVC
    answered by QEMU itself): host wall time from QEMU's start to the initramfs running on every
    CPU, and the time of one CPU hotplug cycle (offline + online) from the initramfs's timed loop.
    Runs alternate between the two; the figures are medians (the host is shared and noisy)."""
    lx = fetch_linux()
    out_dir = os.path.join("build", "bench-psci-linux")
    dtb = os.path.join(ROOT, out_dir, f"virt-{cpus}cpus.dtb")
    subprocess.run(["bash", "tools/virt-dtb.sh", str(cpus), dtb], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bootargs = f"console=ttyAMA0 muster.hotplug={rounds}"
    subprocess.run(["make", "-s", "--no-print-directory", "PLATFORM=virt", f"BUILD={out_dir}", "flash",
                    "BOOTDELAY=0", f"KERNEL={lx}/vmlinuz", f"DTB={dtb}", f"INITRD={lx}/initramfs.cpio.gz",
                    f"BOOTARGS={bootargs}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    base = [QEMU, "-cpu", "cortex-a15", "-m", "128M", "-smp", str(cpus), *CONSOLE, "-nic", "none"]
    args = {
        "muster": base + ["-M", "virt,secure=on", "-drive",
                          f"if=pflash,format=raw,snapshot=on,file={os.path.join(ROOT, out_dir, 'flash.img')}"],
        "qemu": base + ["-M", "virt", "-kernel", f"{lx}/vmlinuz", "-initrd", f"{lx}/initramfs.cpio.gz",
                        "-append", bootargs],
    }
    marks = {"init": rf"^initramfs: nproc {cpus}$", "done": r"^initramfs: done$"}
    wall, cycle = {"muster": [], "qemu": []}, {"muster": [], "qemu": []}
    print(f"bench: Linux on virt, {cpus} CPUs, through muster's PSCI (SMC) and QEMU's built-in PSCI (HVC), "
          f"{runs} alternating runs each, {rounds} hotplug rounds of {cpus - 1} CPUs per run:")
    for i in range(runs):
        for label in ("muster", "qemu"):
            out, seen = timed_run(args[label], marks, timeout=600, stop_after="done")
            m = re.search(r"^initramfs: hotplug (\d+) cpu cycles in (\d+) ms$", out, re.M)
            ok = re.search(r"^initramfs: hotplug cycles \d+ failures 0$", out, re.M)
            if "init" not in seen or not m or not ok or int(m.group(1)) == 0:
                sys.exit(f"bench: Linux through {label} did not boot on {cpus} CPUs and hotplug cleanly:\n"
                         + out[-3000:])
            wall[label].append(seen["init"])
            cycle[label].append(int(m.group(2)) / int(m.group(1)))
            print(f"bench:   run {i + 1} {label:6}: initramfs with {cpus} CPUs at {seen['init']:5.2f} s wall; "
                  f"hotplug {int(m.group(1))} cycles in {int(m.group(2))} ms, {cycle[label][-1]:6.1f} ms per cycle")
    med = {k: (statistics.median(wall[k]), statistics.median(cycle[k])) for k in wall}
    for label in ("muster", "qemu"):
        print(f"bench: Linux {cpus} CPUs through {label:6} (median): {med[label][0]:5.2f} s wall from QEMU start "
              f"to the initramfs on {cpus} CPUs, {med[label][1]:6.1f} ms per hotplug cycle (offline + online)")
    # Each muster run is paired with the QEMU run that follows it: the median of those ratios
    # cancels slow drifts of the host's load that the ratio of the medians does not.
    pair = [statistics.median(m / q for m, q in zip(d["muster"], d["qemu"])) for d in (wall, cycle)]
    print(f"bench: ratio muster / QEMU built-in PSCI: wall to initramfs {med['muster'][0] / med['qemu'][0]:.2f} "
          f"(goal <= 1.2), hotplug cycle {med['muster'][1] / med['qemu'][1]:.2f} (goal <= 1.1); "
          f"median of the paired runs' ratios: {pair[0]:.2f}, {pair[1]:.2f}")


def scaling_bench(platform="virt", delay_ms=None):
    """Bring-up time against CPU count on a board with many cores. With `delay_ms`, every
    secondary takes that long to arrive (a slow boot path, FAULT=delay FAULT_CPU=all): released
    in parallel, 8 CPUs should then cost at most 1.5 times 2 CPUs (one after another: 7 times)."""
    build = os.path.join(ROOT, "build", f"bench-{platform}" + (f"-delay{delay_ms}" if delay_ms else ""))
    extra = ["FAULT=delay", "FAULT_CPU=all", f"FAULT_DELAY_MS={delay_ms}"] if delay_ms else []
    subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={platform}", f"BUILD={build}",
                    "BOOTDELAY=0", *extra, "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={platform}", "print-qemu"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    s = dict(l.split("=", 1) for l in out.strip().splitlines())
    took = {}
    what = f"every secondary {delay_ms} ms slow to arrive" if delay_ms else "no delay"
    print(f"bench: {platform}: bring-up ({what}), guest time under -icount shift=0:")
    for cpus in range(1, int(s["QEMU_MAX_CPUS"]) + 1):
        args = [QEMU, "-M", s["QEMU_MACHINE"], "-m", s["QEMU_MEM"], "-smp", str(cpus),
                *CONSOLE, "-nic", "none", *s["QEMU_QUIET"].split(),
                "-bios", os.path.join(build, "flash-demo.img"), "-icount", "shift=0"]
        res = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
        m = re.search(r"smp: bring-up took (\d+) us \(release to last decision\), (\d+) us since", res)
        if not m or f"smp: {cpus} of {cpus} CPUs online" not in res:
            sys.exit(f"bench: {platform} with {cpus} CPUs did not bring every CPU up:\n{res}")
        took[cpus] = int(m.group(1))
        print(f"bench:   {cpus} CPU(s): {int(m.group(1)):>5} us release to last acknowledgment, "
              f"{int(m.group(2)):>6} us from reset")
    top = max(took)
    ratio = took[top] / max(1, took[2])
    if delay_ms:
        print(f"bench: {platform}: parallel release: {top} CPUs cost {ratio:.2f} times 2 CPUs (goal <= 1.5)")
    else:
        print(f"bench: {platform}: {top} CPUs cost {ratio:.2f} times 2 CPUs in instructions: under -icount "
              f"the vCPUs run one at a time, so this is the coordinator's work per CPU, not latency")


if __name__ == "__main__":
    if sys.argv[1:] == ["psci-linux"]:  # this part alone: /usr/bin/python3 tools/bench.py psci-linux
        psci_linux_bench()
        sys.exit()
    main()
    scaling_bench("virt")
    scaling_bench("virt", delay_ms=50)
    if PLATFORM == "vexpress-a9":
        linux_bench()
    psci_linux_bench()
