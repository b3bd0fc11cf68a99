"""Linux rebooting the board again and again in one QEMU run: every boot, muster brings every CPU up
and hands it over, and Linux brings every CPU up. What the last OS left in the hardware when the
board reset (e.g. an interrupt still active on a CPU's GIC interface: Linux's IPI_CPU_STOP handler
never returns) must not reach the next one. muster's warm-reset test cannot see that: its resets
come before any OS ran."""
import io
import os
import re
import socket
import subprocess
import time

import pexpect
import pytest

from conftest import (PLATFORM, QEMU, QEMU_MAJOR, ROOT, Boot, models_system_reset, platform_settings,
                      qemu_args)

SETTINGS = platform_settings(PLATFORM)
REBOOTS = 3  # Linux reboots in the one run: REBOOTS + 1 boots, every one checked
# Wall seconds for one boot, muster's banner to the initramfs's last line: 7-25 s here under TCG
# (more CPUs, slower); a hang shows as a timeout with that boot's output.
BOOT_TIMEOUT = 120
BANNER = r"muster \d+\.\d+\.\d+ \("


def why_not_here():
    """Why the test cannot apply to this board, from its build facts (board.h, platform.mk), or None."""
    if not (int(SETTINGS["PLAT_HAS_LINUX_SMP_PEN"], 0) or int(SETTINGS["PLAT_HAS_PSCI"], 0) or
            int(SETTINGS["PLAT_LINUX_STARTS_CORES"], 0)):
        return ("board.h sets none of PLAT_HAS_LINUX_SMP_PEN, PLAT_HAS_PSCI, PLAT_LINUX_STARTS_CORES: Linux "
                "gets CPU0 only, no secondary to bring up after a reboot")
    if not SETTINGS["LINUX_DTB"]:
        return "platform.mk names no LINUX_DTB: no device tree to boot Linux with"
    if not models_system_reset(SETTINGS):
        return (f"QEMU {QEMU_MAJOR} does not model this board's reset "
                f"(platform.mk QEMU_RESET_SINCE={SETTINGS['QEMU_RESET_SINCE']})")
    return None


pytestmark = pytest.mark.skipif(why_not_here() is not None, reason=str(why_not_here()))

MIN_CPUS, MAX_CPUS = int(SETTINGS["QEMU_MIN_CPUS"]), int(SETTINGS["QEMU_MAX_CPUS"])
# The fewest CPUs with a secondary to hand over, and the most QEMU gives the board.
CPU_COUNTS = sorted({max(MIN_CPUS, min(2, MAX_CPUS)), MAX_CPUS})


def mebibytes(qemu_mem):
    """QEMU's -m value ("128M", "1G", "1024M") in MiB."""
    m = re.fullmatch(r"(\d+)([MG])", qemu_mem)
    assert m, f"cannot read QEMU_MEM={qemu_mem!r}"
    return int(m.group(1)) << (10 if m.group(2) == "G" else 0)


def dtb_memory_mib(dtb):
    """The RAM a device tree describes (every /memory node's reg), in MiB."""
    def cells(prop):
        return int(subprocess.run(["fdtget", "-t", "u", dtb, "/", prop], check=True, capture_output=True,
                                  text=True).stdout)
    addr_cells, size_cells = cells("#address-cells"), cells("#size-cells")
    nodes = subprocess.run(["fdtget", "-l", dtb, "/"], check=True, capture_output=True, text=True).stdout.split()
    total = 0
    for node in (n for n in nodes if n == "memory" or n.startswith("memory@")):
        reg = [int(x) for x in subprocess.run(["fdtget", "-t", "u", dtb, f"/{node}", "reg"], check=True,
                                              capture_output=True, text=True).stdout.split()]
        step = addr_cells + size_cells
        for i in range(0, len(reg), step):
            size = 0
            for word in reg[i + addr_cells:i + step]:
                size = (size << 32) | word
            total += size
    return total >> 20


def board_dtb(linux, cpus, out):
    """The board's device tree (platform.mk LINUX_DTB) and the memory to run it with: Debian's file,
    given at least the RAM it describes; or what the named script dumps from QEMU for this CPU count."""
    mem = SETTINGS["QEMU_MEM"]
    name = SETTINGS["LINUX_DTB"]
    if name.endswith(".sh"):
        dtb = os.path.join(out, f"board-{cpus}cpus.dtb")
        os.makedirs(out, exist_ok=True)
        subprocess.run(["bash", name, str(cpus), dtb, mem], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, QEMU=QEMU))
        return dtb, mem
    dtb = os.path.join(linux, name)
    return dtb, f"{max(mebibytes(mem), dtb_memory_mib(dtb))}M"


def reboot_flash(linux, cpus):
    """A flash image whose Linux reboots at the end of every boot (tests/linux/init, muster.reboot)."""
    out = os.path.join(ROOT, "build", "test", f"{PLATFORM}-linux-reboot-{cpus}")
    dtb, mem = board_dtb(linux, cpus, out)
    console = SETTINGS.get("LINUX_CONSOLE", "ttyAMA0")  # the Makefile's default: a PL011
    subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", f"BUILD={out}", "flash",
                    "BOOTDELAY=0", f"KERNEL={linux}/vmlinuz", f"DTB={dtb}", f"INITRD={linux}/initramfs.cpio.gz",
                    f"BOOTARGS=console={console} muster.reboot",
                    "CPU_NODES=all"],  # a node per core: a board's DTB may list fewer than QEMU has
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out, mem


def run_reboots(out, cpus, mem):
    """Boot once and let Linux reboot REBOOTS times in the same QEMU; the boots, as printed."""
    args = qemu_args(out, cpus, "pflash", image="flash.img")
    args[args.index("-m") + 1] = mem
    # A monitor for the one case where the guest kernel's own restart path does not reset QEMU's
    # model of the board (Linux 6.12 on sabrelite: "Reboot failed -- System halted"): the test then
    # resets the machine as the board's reset would, and every state that survives it still does.
    mon_path = os.path.join(out, "monitor.sock")
    if os.path.exists(mon_path):
        os.unlink(mon_path)
    args[args.index("-monitor") + 1] = f"unix:{mon_path},server=on,wait=off"
    child = pexpect.spawn(QEMU, args, cwd=ROOT, timeout=BOOT_TIMEOUT, encoding="utf-8",
                          codec_errors="replace", env=dict(os.environ, QEMU_AUDIO_DRV="none"))
    log = io.StringIO()
    child.logfile_read = log
    seconds, stuck, resets_by_test = [], None, 0
    try:
        for n in range(1, REBOOTS + 2):
            t0 = time.monotonic()
            try:
                if child.expect([BANNER, r"Reboot failed -- System halted"]) == 1:
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as mon:
                        mon.connect(mon_path)
                        mon.sendall(b"system_reset\n")
                        time.sleep(0.5)  # let the monitor read it before the socket closes
                    resets_by_test += 1
                    child.expect(BANNER)
                child.expect(r"initramfs: done")  # the last line before it reboots
            except pexpect.EOF:
                stuck = (n, "QEMU exited")
                break
            except pexpect.TIMEOUT:
                stuck = (n, f"hang: no progress in {BOOT_TIMEOUT} s")
                break
            seconds.append(time.monotonic() - t0)
    finally:
        child.terminate(force=True)
    if stuck:
        n, why = stuck
        # Its last lines first: they say where it stopped (pytest -q shows only the first few).
        lines = [l for l in Boot((boots_of(log.getvalue()) or [log.getvalue()])[-1], None).lines if l.strip()]
        pytest.fail(f"{cpus} CPUs: boot {n} of {REBOOTS + 1} ({n - 1} reboots before it) did not reach the end "
                    f"of Linux's initramfs ({why}); its last lines:\n" + "\n".join(lines[-6:])
                    + "\n\nthe whole boot:\n" + "\n".join(lines), pytrace=False)
    print(f"{PLATFORM}, {cpus} CPUs: {REBOOTS + 1} boots, wall seconds each: "
          f"{', '.join(f'{s:.1f}' for s in seconds)}; resets the guest kernel left to the test: {resets_by_test}")
    return [Boot(b, None) for b in boots_of(log.getvalue())]


def boots_of(text):
    """The console output split into boots, each from muster's banner on."""
    return re.split(rf"(?={BANNER})", text)[1:]


@pytest.mark.parametrize("cpus", CPU_COUNTS)
def test_every_boot_after_a_linux_reboot_brings_every_cpu_up(linux, cpus):
    out, mem = reboot_flash(linux, cpus)
    boots = run_reboots(out, cpus, mem)
    assert len(boots) == REBOOTS + 1, [b.output for b in boots]
    for n, run in enumerate(boots, 1):
        where = f"boot {n} of {REBOOTS + 1} ({n - 1} reboots before it):\n{run.output}"
        assert run.summary() == (cpus, cpus), where  # muster: smp: N of N CPUs online
        assert run.has(rf"smp: Brought up 1 node, {cpus} CPUs$"), where  # Linux
        assert run.has(rf"^initramfs: cpus online 0-{cpus - 1}$"), where
        assert run.has(rf"^initramfs: nproc {cpus}$"), where
        assert not run.has(r"failed to come online|failed to boot|CPU\d+: failed|Unable to handle"), where
        assert not run.has(r"Internal error|Oops|BUG:|Kernel panic"), where
        if n <= REBOOTS:
            assert run.has(r"^initramfs: rebooting$") and run.has(r"reboot: Restarting system"), where
