"""FIT payloads (mkimage -f): each corrupt kind refused before anything runs, on every board."""
import os
import subprocess

import pytest

from conftest import PLATFORM, ROOT, boot, platform_settings

S = platform_settings(PLATFORM)
CPUS = int(S["QEMU_MAX_CPUS"])
FEW = max(2, int(S["QEMU_MIN_CPUS"]))
N = {k: int(v, 0) for k, v in S.items() if k.startswith(("PLAT_", "MUSTER_")) and v.startswith("0x")}
PAYLOAD_AT = f"0x{N['MUSTER_PAYLOAD_ADDR']:08x}"  # where the build says muster reads its payload
HALTED = r"muster> "  # the safe state: the console prompt


def image(name, typ, data, load, hash_algo="sha256", extra=""):
    """One image node of an .its: `data` a file name in the test's directory."""
    hash_node = f'hash-1 {{ algo = "{hash_algo}"; }};' if hash_algo else ""
    entry = f"entry = <{load:#x}>;" if typ == "kernel" else ""
    return (f'{name} {{ data = /incbin/("{data}"); type = "{typ}"; arch = "arm"; os = "linux"; '
            f'compression = "none"; load = <{load:#x}>; {entry} {extra} {hash_node} }};')


def fit_flash(tmp_path, images, conf):
    """A flash image whose payload is the FIT mkimage makes of these images (make flash PAYLOAD=)."""
    for name, size in (("k", 4099), ("r", 1000), ("m", 300)):
        (tmp_path / name).write_bytes(os.urandom(size))
    its = tmp_path / "t.its"
    its.write_text(f'/dts-v1/;\n/ {{ description = "test"; #address-cells = <1>; images {{ {" ".join(images)} }}; '
                   f"configurations {{ {conf} }}; }};\n")
    subprocess.run(["mkimage", "-f", "t.its", "t.itb"], cwd=tmp_path, check=True, stdout=subprocess.DEVNULL)
    out = tmp_path / "b"
    subprocess.run(["make", "-s", "--no-print-directory", f"PLATFORM={PLATFORM}", f"BUILD={out}", "flash",
                    "BOOTDELAY=0", f"PAYLOAD={tmp_path / 't.itb'}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return str(out)


KERNEL = N["PLAT_LINUX_LOAD"]
CONF = 'default = "c"; c { kernel = "k1"; ramdisk = "r1"; loadables = "m1"; };'

CASES = {
    # case: (images, configuration, what muster must say)
    "loadable over muster": (
        [image("k1", "kernel", "k", KERNEL), image("r1", "ramdisk", "r", N["PLAT_LINUX_INITRD_ADDR"]),
         image("m1", "loadable", "m", N["MUSTER_RAM_BASE"])], CONF,
        rf"image 'm1' load range 0x{N['MUSTER_RAM_BASE']:08x}-0x{N['MUSTER_RAM_BASE'] + 300:08x} "
        # muster's memory inside the OS's RAM, or apart from it (Secure-only RAM)
        + ("overlaps muster's memory" if N["PLAT_RAM_BASE"] <= N["MUSTER_RAM_BASE"] < N["PLAT_RAM_BASE"]
           + N["PLAT_RAM_SIZE"] else "is outside RAM")),
    "overlapping images": (
        [image("k1", "kernel", "k", KERNEL), image("r1", "ramdisk", "r", KERNEL + 4096),
         image("m1", "loadable", "m", N["PLAT_LINUX_INITRD_ADDR"])], CONF,
        r"images 'r1' and 'k1' overlap in RAM"),
    "outside RAM": (
        [image("k1", "kernel", "k", KERNEL), image("r1", "ramdisk", "r", N["PLAT_LINUX_INITRD_ADDR"]),
         image("m1", "loadable", "m", N["PLAT_RAM_BASE"] + N["PLAT_RAM_SIZE"])], CONF,
        r"image 'm1' load range 0x[0-9a-f]{8}-0x[0-9a-f]{8} is outside RAM"),
    "missing configuration": (
        [image("k1", "kernel", "k", KERNEL)], 'c { kernel = "k1"; };',
        r"no default configuration \(/configurations/default\)"),
    "unhashed image": (
        [image("k1", "kernel", "k", KERNEL), image("r1", "ramdisk", "r", N["PLAT_LINUX_INITRD_ADDR"], None),
         image("m1", "loadable", "m", N["PLAT_LINUX_INITRD_ADDR"] + 0x100000)], CONF,
        r"image 'r1' has no crc32 or sha256 hash: muster runs nothing unverified"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corrupt_fit_is_refused_with_its_reason(tmp_path, case):
    images, conf, reason = CASES[case]
    out = fit_flash(tmp_path, images, conf)
    run = boot(out, FEW, "pflash", image="flash.img", until=HALTED)
    assert run.has(rf"^boot: payload at {PAYLOAD_AT} refused: FIT: {reason}$"), run.output
    assert run.has(r"^boot: no payload started$"), run.output
    assert not run.has(r"starting|FIT loadable"), run.output  # nothing copied, nothing run


def test_fit_with_a_bad_hash_is_refused(tmp_path):
    """One bit of the kernel's data flipped in flash: its sha256 no longer matches."""
    out = fit_flash(tmp_path, [image("k1", "kernel", "k", KERNEL)], 'default = "c"; c { kernel = "k1"; };')
    flash = bytearray(open(os.path.join(out, "flash.img"), "rb").read())
    kernel = (tmp_path / "k").read_bytes()
    at = flash.index(kernel[:64])  # the kernel's bytes inside the FIT, inside the flash image
    flash[at + 2000] ^= 0x10
    open(os.path.join(out, "flash.img"), "wb").write(flash)
    run = boot(out, FEW, "pflash", image="flash.img", until=HALTED)
    assert run.has(rf"^boot: payload at {PAYLOAD_AT} refused: FIT: image 'k1' fails its sha256 hash: corrupt$"), \
        run.output
    assert not run.has(r"starting"), run.output
