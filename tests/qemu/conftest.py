"""Shared helpers for the QEMU console tests: build firmware variants and boot them under a wall-clock bound."""
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
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", f"PLATFORM={platform}", "print-qemu"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.strip().splitlines())


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
    data = open(os.path.join(build_dir, image), "rb").read()[SETTINGS_OFFSET:]
    with open(tail, "wb") as f:
        f.write(data.rstrip(b"\xff"))
    return tail


SETTINGS_OFFSET = 0x40000  # from PLAT_FLASH_BASE: muster's window; the record and payload follow (board.h)


def qemu_args(build_dir, cpus, mode="bios", platform=PLATFORM, extra=(), image="flash-demo.img"):
    """QEMU arguments for one of muster's boot paths:
    pflash: the flash image as the board's NOR flash (what `make run` does, as hardware would);
    bios:   the same image through -bios; kernel: muster.elf through -kernel, with the settings
    and payload placed behind it in flash by QEMU's generic loader.
    On a board without NOR flash (platform.mk QEMU_FLASH = loader) pflash and bios both mean the
    generic loader: the image's first MUSTER_FLASH_SIZE bytes (muster) at MUSTER_FLASH_BASE,
    where CPU0 starts, and the whole image at the board's flash window, PLAT_FLASH_BASE."""
    s = platform_settings(platform)
    args = ["-M", s["QEMU_MACHINE"], "-m", s["QEMU_MEM"], "-smp", str(cpus)] + CONSOLE + [
            "-nic", "none"] + s["QEMU_QUIET"].split()
    if mode in ("pflash", "bios") and s["QEMU_FLASH"] == "loader":
        path = os.path.join(build_dir, image)
        head = path + ".head"
        with open(path, "rb") as src, open(head, "wb") as dst:
            dst.write(src.read(int(s["MUSTER_FLASH_SIZE"], 0)))
        args += ["-device", f"loader,file={head},addr={s['MUSTER_FLASH_BASE']},force-raw=on",
                 "-device", f"loader,file={path},addr={s['PLAT_FLASH_BASE']},force-raw=on"]
    elif mode == "pflash":
        args += ["-drive", f"if=pflash,format=raw,snapshot=on,file={os.path.join(build_dir, image)}"]
    elif mode == "bios":
        args += ["-bios", os.path.join(build_dir, image)]
    elif mode == "kernel":
        args += ["-kernel", os.path.join(build_dir, "muster.elf"), "-device",
                 f"loader,file={flash_tail(build_dir, image)},"
                 f"addr=0x{int(s['PLAT_FLASH_BASE'], 0) + SETTINGS_OFFSET:x},force-raw=on"]
    else:
        raise ValueError(mode)
    return args + list(extra)


def boot(build_dir, cpus, mode="bios", extra=(), timeout=60, platform=PLATFORM, until=None,
         image="flash-demo.img", send=None):
    """Boot once; fail the test on a hang (no power-off within `timeout` seconds of wall time).
    With `until`, stop at that pattern (a halted monitor does not power off) and kill QEMU.
    With `send` = (pattern, text), type `text` when `pattern` appears."""
    child = pexpect.spawn(QEMU, qemu_args(build_dir, cpus, mode, platform, extra, image), cwd=ROOT,
                          timeout=timeout, encoding="utf-8", codec_errors="replace",
                          env=dict(os.environ, QEMU_AUDIO_DRV="none"))
    text = ""
    try:
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


@pytest.fixture(scope="session")
def default_build():
    return build(f"{PLATFORM}-default", PLATFORM=PLATFORM, BOOTDELAY=0)


def pytest_report_header(config):
    return f"qemu: {shutil.which(QEMU)} ({QEMU_VERSION}); platform: {PLATFORM}"
