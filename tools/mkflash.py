#!/usr/bin/python3
"""Build a NOR flash image: muster at 0, the settings record, and a verified uImage payload made with mkimage."""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SETTINGS_MAGIC = 0x5445534D  # "MSET", include/muster/settings.h
SETTINGS_VERSION = 1
SETTINGS_SIZE = 512
BOOTARGS_MAX = 488
BOOTARGS_DTB_ROOM = 512  # bytes reserved in /chosen/bootargs so muster can rewrite it in place
BOARD_MACROS = [  # read through include/muster/platform.h so defaults apply too
    "PLAT_FLASH_SIZE", "MUSTER_FLASH_SIZE", "MUSTER_SETTINGS_ADDR", "MUSTER_PAYLOAD_ADDR",
                "MUSTER_PAYLOAD_MAX", "PLAT_FLASH_BASE", "PLAT_PAYLOAD_LOAD", "PLAT_LINUX_LOAD",
                "PLAT_LINUX_INITRD_ADDR", "PLAT_LINUX_DTB_ADDR", "MUSTER_RAM_BASE", "MUSTER_RAM_SIZE",
                "PLAT_MAX_CPUS", "PLAT_CORES_PER_CLUSTER"]


def die(msg):
    sys.exit(f"mkflash: {msg}")


def run(*args, **kw):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout
    except subprocess.CalledProcessError as e:
        die(f"{' '.join(args)} failed: {e.stderr.strip()}")


def board_constants(board_dir, cc):
    """Evaluate the board's numeric macros with the C preprocessor: board.h stays the one source."""
    src = "#include <muster/platform.h>\n" + "".join(f"key_{m}={m}\n" for m in BOARD_MACROS)
    inc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include")
    out = run(cc, "-E", "-P", "-D__ASSEMBLER__", f"-I{board_dir}", f"-I{inc}", "-x", "c", "-", input=src)
    values = {}
    for line in out.splitlines():
        name, _, expr = line.partition("=")
        name = name.removeprefix("key_")
        if name in BOARD_MACROS:
            expr = expr.replace("U", "")
            if not re.fullmatch(r"[0-9a-fA-FxX()+\-*/ ]+", expr):
                die(f"{name} is not a number: {expr}")
            values[name] = int(eval(expr.replace("/", "//")))  # digits and arithmetic only
    return values


def settings_record(ack_ms, bootdelay_ms, bootargs):
    raw = bootargs.encode()
    if len(raw) >= BOOTARGS_MAX:
        die(f"BOOTARGS is {len(raw)} bytes; at most {BOOTARGS_MAX - 1}")
    body = struct.pack("<5I", SETTINGS_MAGIC, SETTINGS_VERSION, SETTINGS_SIZE, ack_ms, bootdelay_ms)
    body += raw.ljust(BOOTARGS_MAX, b"\0")
    return body + struct.pack("<I", zlib.crc32(body))


def prepare_dtb(src, dst, b, bootargs, initrd_size):
    """Copy the DTB with what muster needs: reserved memory, room for bootargs, CPU status, initrd range."""
    dts = run("dtc", "-q", "-I", "dtb", "-O", "dts", src)
    reserve = f"/memreserve/ 0x{b['MUSTER_RAM_BASE']:x} 0x{b['MUSTER_RAM_SIZE']:x};\n"
    dts = re.sub(r"^/dts-v1/;\n", "/dts-v1/;\n" + reserve, dts, count=1, flags=re.M)
    with tempfile.NamedTemporaryFile("w", suffix=".dts", delete=False) as f:
        f.write(dts)
    run("dtc", "-q", "-I", "dts", "-O", "dtb", "-p", "4096", "-o", dst, f.name)
    os.unlink(f.name)
    # /chosen/bootargs padded with NULs: Linux reads up to the first NUL, muster may rewrite it.
    raw = bootargs.encode() + b"\0"
    if len(raw) > BOOTARGS_DTB_ROOM:
        die("BOOTARGS too long for the device tree")
    if "chosen" not in run("fdtget", "-l", dst, "/").split():
        run("fdtput", "-c", dst, "/chosen")
    run("fdtput", "-t", "bx", dst, "/chosen", "bootargs",
        *[f"{x:02x}" for x in raw.ljust(BOOTARGS_DTB_ROOM, b"\0")])
    # Every CPU node gets status = "okay", which muster rewrites to "fail" for a core that failed.
    for node in run("fdtget", "-l", dst, "/cpus").split():
        if node.startswith("cpu@"):
            run("fdtput", "-t", "s", dst, f"/cpus/{node}", "status", "okay")
    if initrd_size is not None:
        start = b["PLAT_LINUX_INITRD_ADDR"]
        if start + initrd_size > b["PLAT_LINUX_DTB_ADDR"]:
            die(f"the initrd ({initrd_size} bytes) does not fit below the device tree")
        run("fdtput", "-t", "x", dst, "/chosen", "linux,initrd-start", f"{start:x}")
        run("fdtput", "-t", "x", dst, "/chosen", "linux,initrd-end", f"{start + initrd_size:x}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--board-dir", required=True)
    ap.add_argument("--cc", default="arm-none-eabi-gcc")
    ap.add_argument("--muster", required=True, help="muster.bin")
    ap.add_argument("--out", required=True)
    ap.add_argument("--standalone", help="a bare-metal program (raw binary linked at PLAT_PAYLOAD_LOAD)")
    ap.add_argument("--kernel", help="a Linux zImage")
    ap.add_argument("--dtb")
    ap.add_argument("--initrd")
    ap.add_argument("--kernel-only", action="store_true",
                    help="a kernel image (mkimage -T kernel) with the prepared DTB appended to the zImage")
    ap.add_argument("--bootargs", default="")
    ap.add_argument("--ack-timeout-ms", type=int, default=0)
    ap.add_argument("--bootdelay-ms", type=int, default=2000)
    ap.add_argument("--no-settings", action="store_true", help="leave the settings block erased")
    a = ap.parse_args()

    for tool in ("mkimage", "dtc", "fdtput", "fdtget"):
        if not shutil.which(tool):
            die(f"{tool} is missing (tools/install-deps.sh installs it)")
    b = board_constants(a.board_dir, a.cc)
    image = bytearray(b"\xff" * b["PLAT_FLASH_SIZE"])  # erased NOR reads all-ones
    muster = open(a.muster, "rb").read()
    if len(muster) > b["MUSTER_FLASH_SIZE"]:
        die(f"muster.bin is {len(muster)} bytes; its flash window is {b['MUSTER_FLASH_SIZE']}")
    image[0:len(muster)] = muster
    base = b["PLAT_FLASH_BASE"]
    if not a.no_settings:
        off = b["MUSTER_SETTINGS_ADDR"] - base
        image[off:off + SETTINGS_SIZE] = settings_record(a.ack_timeout_ms, a.bootdelay_ms, a.bootargs)

    with tempfile.TemporaryDirectory() as tmp:
        uimg = os.path.join(tmp, "payload.uimg")
        if a.kernel and a.kernel_only:
            if not a.dtb or a.initrd:
                die("KERNEL_ONLY=1 takes KERNEL and DTB (appended to the zImage), no INITRD")
            dtb = os.path.join(tmp, "board.dtb")
            prepare_dtb(a.dtb, dtb, b, a.bootargs, None)
            zimage = os.path.join(tmp, "zImage-dtb")
            with open(zimage, "wb") as f:
                f.write(open(a.kernel, "rb").read() + open(dtb, "rb").read())
            run("mkimage", "-A", "arm", "-O", "linux", "-T", "kernel", "-C", "none",
                "-a", f"0x{b['PLAT_LINUX_LOAD']:x}", "-e", f"0x{b['PLAT_LINUX_LOAD']:x}",
                "-n", "linux-appended-dtb", "-d", zimage, uimg)
        elif a.kernel:
            if not a.dtb:
                die("a Linux payload needs DTB=...")
            dtb = os.path.join(tmp, "board.dtb")
            initrd_size = os.path.getsize(a.initrd) if a.initrd else None
            prepare_dtb(a.dtb, dtb, b, a.bootargs, initrd_size)
            parts = ":".join([a.kernel] + ([a.initrd] if a.initrd else []) + [dtb])
            run("mkimage", "-A", "arm", "-O", "linux", "-T", "multi", "-C", "none",
                "-a", f"0x{b['PLAT_LINUX_LOAD']:x}", "-e", f"0x{b['PLAT_LINUX_LOAD']:x}",
                "-n", "linux", "-d", parts, uimg)
        elif a.standalone:
            load = b["PLAT_PAYLOAD_LOAD"]
            run("mkimage", "-A", "arm", "-O", "u-boot", "-T", "standalone", "-C", "none",
                "-a", f"0x{load:x}", "-e", f"0x{load:x}", "-n", os.path.basename(a.standalone),
                "-d", a.standalone, uimg)
        else:
            uimg = None
        if uimg:
            payload = open(uimg, "rb").read()
            if len(payload) > b["MUSTER_PAYLOAD_MAX"]:
                die(f"the payload is {len(payload)} bytes; the flash holds {b['MUSTER_PAYLOAD_MAX']}")
            off = b["MUSTER_PAYLOAD_ADDR"] - base
            image[off:off + len(payload)] = payload
            shutil.copy(uimg, os.path.splitext(a.out)[0] + ".uimg")
    with open(a.out, "wb") as f:
        f.write(image)
    print(f"mkflash: {a.out}: muster {len(muster)} B at 0x0, settings at 0x{b['MUSTER_SETTINGS_ADDR']:x}"
          f"{' (none)' if a.no_settings else ''}, payload at 0x{b['MUSTER_PAYLOAD_ADDR']:x}")


if __name__ == "__main__":
    main()
