"""Shared helpers for the QEMU console tests: build firmware variants and boot them under a wall-clock bound."""
import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

import pexpect
import pytest

# The serial console on stdio, Ctrl-C passed to the guest (it cancels a line or a stress).
CONSOLE = ["-display", "none", "-chardev", "stdio,id=con,mux=on,signal=off", "-serial", "chardev:con",
           "-monitor", "none"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINUX = os.path.join(ROOT, "build", "linux")


@pytest.fixture(scope="session")
def linux():
    """Debian's kernel, DTBs and initramfs, fetched through apt once and cached (tools/fetch-linux.sh)."""
    subprocess.run(["bash", "tools/fetch-linux.sh"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return LINUX
PLATFORM = os.environ.get("PLATFORM", "vexpress-a9")


def _qemu():
    """The QEMU the suites run on: $QEMU, else tools/get-qemu.sh's choice (QEMU >= 10, which
    enforces what silicon enforces; on Debian 12 it fetches the backport into build/qemu/)."""
    if os.environ.get("QEMU"):
        return os.environ["QEMU"]
    return subprocess.run(["bash", "tools/get-qemu.sh"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


QEMU = _qemu()
QEMU_VERSION = subprocess.run([QEMU, "--version"], check=True, capture_output=True,
                              text=True).stdout.splitlines()[0]
QEMU_MAJOR = int(re.search(r"version (\d+)\.", QEMU_VERSION).group(1))

# Per-board QEMU settings, as platform/<name>/platform.mk gives them.
def platform_settings(platform):
    return dict(_platform_settings(platform))  # a copy: callers may edit theirs


@functools.lru_cache(maxsize=None)
def _platform_settings(platform):
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", f"PLATFORM={platform}", "print-qemu"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.strip().splitlines())


def number(settings, key):
    """A numeric board fact of platform_settings() (hex or decimal, as print-qemu prints it)."""
    return int(settings[key], 0)


def mpidr(idx, platform=PLATFORM):
    """The MPIDR CPU index idx reports, from the board's PLAT_CORES_PER_CLUSTER (include/muster/cpu.h)."""
    per = number(platform_settings(platform), "PLAT_CORES_PER_CLUSTER")
    return 0x80000000 | ((idx // per) << 8) | (idx % per)


def holds_cores(settings):
    """Whether a core that misses its deadline is held in reset on this board under this QEMU
    (board.h PLAT_HAS_CPU_POWER, and platform.mk QEMU_CPU_HOLD: the model can hold one): its report
    line then ends ", held in reset", and a retry restarts it from reset."""
    return number(settings, "PLAT_HAS_CPU_POWER") == 1 and settings["QEMU_CPU_HOLD"] == "yes"


def held_suffix(settings):
    """What a timeout line ends with after the hold, on this board under this QEMU."""
    return ", held in reset" if holds_cores(settings) else ""


def outside_known_memory(platform=PLATFORM):
    """An address in none of the board's windows (payload RAM, muster's RAM and code, the flash
    image), from the build: the console must refuse to run or checksum there. Each board puts RAM
    somewhere else (0x10000000 is RAM on one and nothing on another), so no address is fixed here."""
    s = platform_settings(platform)
    windows = [(number(s, f"{w}_BASE"), number(s, f"{w}_SIZE"))
               for w in ("PLAT_RAM", "MUSTER_RAM", "MUSTER_FLASH", "PLAT_FLASH")]
    for addr in range(0x10000000, 0x100000000, 0x10000000):
        if all(not (base <= addr < base + size) for base, size in windows):
            return addr
    raise AssertionError(f"no 256 MiB boundary outside {windows}")


def models_system_reset(settings):
    """Whether this QEMU models the board's reset (platform.mk QEMU_RESET_SINCE: the first
    QEMU major version that does)."""
    return QEMU_MAJOR >= int(settings["QEMU_RESET_SINCE"])


@dataclass
class Boot:
    """What one QEMU run printed, and how it ended."""
    output: str
    exitstatus: object
    lines: list = field(default_factory=list)

    def __post_init__(self):
        self.lines = [l.rstrip("\r") for l in self.output.replace("\r\n", "\n").split("\n")]

    def cpu_lines(self):
        return {int(m.group(1)): l for l in self.lines if (m := re.match(r"cpu(\d+): mpidr ", l))}

    def summary(self):
        found = [l for l in self.lines if re.fullmatch(r"smp: \d+ of \d+ CPUs online", l)]
        assert len(found) == 1, f"expected one summary line, got {found}\n{self.output}"
        n, m = map(int, re.findall(r"\d+", found[0]))
        return n, m

    def has(self, pattern):
        return any(re.search(pattern, l) for l in self.lines)


def build(name, **make_vars):
    """Build a firmware variant (and its demo flash image) into build/test/<name>/."""
    make_vars.setdefault("BOOTDELAY", 0)
    out = os.path.join("build", "test", name)
    args = ["make", "-s", "--no-print-directory", f"BUILD={out}"]
    args += [f"{k}={v}" for k, v in make_vars.items()]
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, out)


def flash_tail(build_dir, image="flash-demo.img"):
    """The settings record and payload of a flash image, as a file to load behind an ELF."""
    tail = os.path.join(build_dir, image + ".tail")
    data = open(os.path.join(build_dir, image), "rb").read()[settings_offset():]
    with open(tail, "wb") as f:
        f.write(data.rstrip(b"\xff"))
    return tail


def settings_offset(platform=PLATFORM):
    """Where the settings record sits in a flash image (include/muster/platform.h, via print-qemu)."""
    return number(platform_settings(platform), "MUSTER_SETTINGS_OFFSET")


def qemu_args(build_dir, cpus, mode="bios", platform=PLATFORM, extra=(), image="flash-demo.img"):
    """QEMU arguments for one of muster's boot paths:
    pflash: the flash image as the board's NOR flash (what `make run` does, as hardware would);
    bios:   the same image through -bios; kernel: muster.elf through -kernel, with the settings
    and payload placed behind it in flash by QEMU's generic loader.
    On a board without NOR flash (platform.mk QEMU_FLASH = loader) pflash and bios both mean the
    generic loader: the image's first MUSTER_FLASH_SIZE bytes (muster) at MUSTER_FLASH_BASE,
    which also starts CPU0 there (cpu-num=0: the board's reset address may hold a boot ROM QEMU does
    not model), and the whole image at the board's flash window, PLAT_FLASH_BASE."""
    s = platform_settings(platform)
    args = ["-M", s["QEMU_MACHINE"], "-m", s["QEMU_MEM"], "-smp", str(cpus)] + CONSOLE + [
            "-nic", "none"] + s["QEMU_QUIET"].split()
    if mode in ("pflash", "bios") and s["QEMU_FLASH"] == "loader":
        path = os.path.join(build_dir, image)
        head = path + ".head"
        with open(path, "rb") as src, open(head, "wb") as dst:
            dst.write(src.read(int(s["MUSTER_FLASH_SIZE"], 0)))
        args += ["-device", f"loader,file={head},addr={s['MUSTER_FLASH_BASE']},force-raw=on,cpu-num=0",
                 "-device", f"loader,file={path},addr={s['PLAT_FLASH_BASE']},force-raw=on"]
    elif mode == "pflash":
        args += ["-drive", f"if=pflash,format=raw,snapshot=on,file={os.path.join(build_dir, image)}"]
    elif mode == "bios":
        args += ["-bios", os.path.join(build_dir, image)]
    elif mode == "kernel":
        args += ["-kernel", os.path.join(build_dir, "muster.elf"), "-device",
                 f"loader,file={flash_tail(build_dir, image)},"
                 f"addr=0x{int(s['PLAT_FLASH_BASE'], 0) + settings_offset(platform):x},force-raw=on"]
    else:
        raise ValueError(mode)
    return args + list(extra)


def boot(build_dir, cpus, mode="bios", extra=(), timeout=60, platform=PLATFORM, until=None,
         image="flash-demo.img", send=None, after_spawn=None):
    """Boot once; fail the test on a hang (no power-off within `timeout` seconds of wall time).
    With `until`, stop at that pattern (a halted monitor does not power off) and kill QEMU.
    With `send` = (pattern, text), type `text` when `pattern` appears. `after_spawn()` runs once
    QEMU has started (with -S: before the guest's first instruction; see gdbstub.py)."""
    child = pexpect.spawn(QEMU, qemu_args(build_dir, cpus, mode, platform, extra, image), cwd=ROOT,
                          timeout=timeout, encoding="utf-8", codec_errors="replace",
                          env=dict(os.environ, QEMU_AUDIO_DRV="none"))
    text = ""
    try:
        if after_spawn:
            after_spawn()
        if send:
            child.expect(send[0])
            text += child.before + child.after
            child.send(send[1])
        child.expect(until if until else pexpect.EOF)
        text += child.before + (child.after if until else "")
    except pexpect.TIMEOUT:
        text += child.before or ""
        child.terminate(force=True)
        pytest.fail(f"QEMU did not reach {until or 'power-off'} within {timeout} s (hang); "
                    f"it printed:\n{text}")
    if until:
        child.terminate(force=True)
    else:
        child.close()
    return Boot(text, child.exitstatus)


PROMPT = "muster> "


class Console:
    """A muster booted to its prompt (autoboot stopped by a key)."""

    def __init__(self, build_dir, cpus=None):
        cpus = cpus or int(platform_settings(PLATFORM)["QEMU_MAX_CPUS"])
        self.child = pexpect.spawn(QEMU, qemu_args(build_dir, cpus, "pflash"), cwd=ROOT,
                                   timeout=60, encoding="utf-8", codec_errors="replace")
        self.child.expect(r"press any key to stop")
        self.boot_log = self.child.before
        self.child.send("x")
        self.child.expect_exact(PROMPT)

    def cmd(self, line, timeout=60):
        self.child.send(line + "\r")
        self.child.expect_exact(PROMPT, timeout=timeout)
        out = self.child.before.replace("\r", "")
        lines = out.split("\n")
        assert lines[0].endswith(line), out  # the echo of what we typed
        return "\n".join(lines[1:]).strip("\n")

    def close(self):
        self.child.terminate(force=True)


@pytest.fixture(scope="session")
def default_build():
    return build(f"{PLATFORM}-default", PLATFORM=PLATFORM, BOOTDELAY=0)


def pytest_report_header(config):
    return f"qemu: {shutil.which(QEMU)} ({QEMU_VERSION}); platform: {PLATFORM}"
