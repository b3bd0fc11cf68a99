"""First-stage firmware: settings record, autoboot, and every way a flash payload can be refused."""
import os
import re
import shutil
import struct
import zlib

import pytest

from conftest import PLATFORM, boot, outside_known_memory, platform_settings

CPUS = int(platform_settings(PLATFORM)["QEMU_MAX_CPUS"])
RAM_BASE = int(platform_settings(PLATFORM)["MUSTER_RAM_BASE"], 0)
# Whether muster's RAM lies inside the payloads' RAM (board.h); where it does not (virt: Secure-only
# RAM), a payload aimed at it is outside RAM before it can overlap muster.
_P_BASE, _P_SIZE = (int(platform_settings(PLATFORM)[k], 0) for k in ("PLAT_RAM_BASE", "PLAT_RAM_SIZE"))
MUSTER_IN_PAYLOAD_RAM = _P_BASE <= RAM_BASE < _P_BASE + _P_SIZE
# The flash image's layout (include/muster/platform.h, as the build reports it).
PAYLOAD = int(platform_settings(PLATFORM)["MUSTER_PAYLOAD_OFFSET"], 0)
# Where muster reads the payload: in NOR flash, or in a window of RAM a loader filled (board.h).
PAYLOAD_AT = platform_settings(PLATFORM)["MUSTER_PAYLOAD_ADDR"]
FEW = max(2, int(platform_settings(PLATFORM)["QEMU_MIN_CPUS"]))  # a small -smp the machine accepts
SETTINGS = int(platform_settings(PLATFORM)["MUSTER_SETTINGS_OFFSET"], 0)
HALTED = r"muster> "  # the safe state: the console prompt


def patched_image(tmp_path, default_build, edit):
    """The demo flash image with its uImage header edited by `edit(header) -> header`; the header
    CRC is recomputed unless the edit is about the CRC itself."""
    data = bytearray(open(os.path.join(default_build, "flash-demo.img"), "rb").read())
    hdr = bytearray(data[PAYLOAD:PAYLOAD + 64])
    hdr, fix_crc = edit(hdr)
    if fix_crc:
        struct.pack_into(">I", hdr, 4, 0)
        struct.pack_into(">I", hdr, 4, zlib.crc32(bytes(hdr)))
    data[PAYLOAD:PAYLOAD + 64] = hdr
    out = tmp_path / "flash.img"
    out.write_bytes(data)
    return str(out)


def field(offset, value):
    def edit(hdr):
        struct.pack_into(">I", hdr, offset, value)
        return hdr, True
    return edit


def ih(hdr, offset):
    return struct.unpack_from(">I", hdr, offset)[0]


def relative(offset, delta):
    """Set header word `offset` to (load + data size + delta)."""
    def edit(hdr):
        struct.pack_into(">I", hdr, offset, ih(hdr, 16) + ih(hdr, 12) + delta)
        return hdr, True
    return edit


def byte(offset, value, fix_crc=True):
    def edit(hdr):
        hdr[offset] = value
        return hdr, fix_crc
    return edit


def flip_name(hdr):
    hdr[40] ^= 0x20  # inside ih_name; the stored header CRC no longer matches
    return hdr, False


CORRUPT = {
    "bad-magic": (field(0, 0x12345678), r"bad magic 0x12345678 \(a uImage starts with 0x27051956\)"),
    "bad-header-crc": (flip_name, r"bad header CRC: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}"),
    "truncated": (field(12, 0x04000000),
                  r"image truncated: header says 67108864 data bytes, only \d+ follow it in flash"),
    "load-outside-ram": (field(16, outside_known_memory()),
                         rf"load range 0x{outside_known_memory():08x}-0x[0-9a-f]{{8}} is outside RAM"),
    "load-overlaps-muster": (field(16, RAM_BASE),
                             rf"load range 0x{RAM_BASE:08x}-0x[0-9a-f]{{8}} " +
                             ("overlaps muster's memory" if MUSTER_IN_PAYLOAD_RAM else "is outside RAM")),
    "entry-outside-image": (relative(20, 0x100), r"entry 0x[0-9a-f]{8} is outside the loaded standalone image"),
    "unsupported-type": (byte(30, 6), r"unsupported image type 6 \(kernel, standalone or multi\)"),
    "unsupported-compression": (byte(31, 1), r"unsupported compression 1"),
    "unsupported-arch": (byte(29, 5), r"unsupported architecture 5 \(need ARM, 2\)"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_payload_is_refused_with_its_reason(tmp_path, default_build, case):
    edit, reason = CORRUPT[case]
    image = patched_image(tmp_path, default_build, edit)
    run = boot(os.path.dirname(image), CPUS, "pflash", image="flash.img", until=HALTED)
    assert run.has(r"^boot: payload at " + PAYLOAD_AT + r" refused: " + reason + r"( .*)?$"), run.output
    assert run.has(r"^boot: no payload started$"), run.output
    assert not run.has(r"starting|^demo:"), run.output  # no jump
    assert run.summary() == (CPUS, CPUS)


def test_bad_data_crc_is_refused(tmp_path, default_build):
    data = bytearray(open(os.path.join(default_build, "flash-demo.img"), "rb").read())
    data[PAYLOAD + 64 + 100] ^= 0xFF
    (tmp_path / "flash.img").write_bytes(data)
    run = boot(str(tmp_path), CPUS, "pflash", image="flash.img", until=HALTED)
    assert run.has(r"^boot: payload at " + PAYLOAD_AT + r" refused: bad data CRC: stored 0x[0-9a-f]{8}, "
                   r"computed 0x[0-9a-f]{8} over \d+ bytes$"), run.output
    assert not run.has(r"starting"), run.output


def test_empty_flash_is_refused(default_build):
    """muster.bin alone: erased flash behind it, no settings, no payload."""
    run = boot(default_build, CPUS, "bios", image="muster.bin", until=HALTED, timeout=30)
    assert run.has(r"^settings: warning: no settings record \(magic 0x[0-9a-f]{8}\); using defaults$"), run.output
    assert run.has(r"^boot: payload at " + PAYLOAD_AT + r" refused: bad magic 0x[0-9a-f]{8}"), run.output


def test_corrupt_settings_fall_back_to_defaults(tmp_path, default_build):
    data = bytearray(open(os.path.join(default_build, "flash-demo.img"), "rb").read())
    data[SETTINGS + 30] ^= 0x01  # inside the boot arguments: the CRC no longer matches
    (tmp_path / "flash.img").write_bytes(data)
    run = boot(str(tmp_path), CPUS, "pflash", image="flash.img")
    assert run.has(r"^settings: warning: settings record corrupt: CRC stored 0x[0-9a-f]{8}, "
                   r"computed 0x[0-9a-f]{8}; using defaults$"), run.output
    assert run.has(r"^smp: \d+ CPUs reported, acknowledgment timeout 5000 ms$"), run.output
    assert run.has(r"^autoboot: booting in 2 s, press any key to stop$"), run.output  # default delay
    assert run.has(r"^demo: \d+ of \d+ CPUs returned verified results$"), run.output


def test_settings_record_sets_timeout_and_delay():
    from conftest import build
    out = build("settings", ACK_TIMEOUT_MS=1234, BOOTDELAY=1, BOOTARGS="quiet x=1")
    run = boot(out, FEW, "pflash")
    assert run.has(r'^settings: acknowledgment timeout 1234 ms, boot delay 1000 ms, '
                   r'boot arguments "quiet x=1"$'), run.output
    assert run.has(rf"^smp: {FEW} CPUs reported, acknowledgment timeout 1234 ms$"), run.output
    assert run.has(r"^autoboot: booting in 1 s, press any key to stop$"), run.output


def test_a_key_stops_autoboot():
    from conftest import build
    out = build("autoboot", BOOTDELAY=5)
    run = boot(out, FEW, "pflash", send=(r"autoboot: booting in 5 s", "x"),
               until=r"autoboot: stopped by a key")
    assert not run.has(r"^boot: "), run.output
