"""Builds mailbox images for tests: the layout read from include/muster/mailbox.h, the check recomputed here."""
import os
import re
import struct

from conftest import ROOT

_HEADER = os.path.join(ROOT, "include", "muster", "mailbox.h")
DEFS = {m.group(1): int(m.group(2), 0) for m in re.finditer(
    r"^#define (MBOX_\w+) (0x[0-9a-fA-F]+|\d+)U?\b", open(_HEADER).read(), re.M)}
SLOT = 2 * DEFS["MBOX_LINE_SIZE"]


def _rol(v, n):
    return ((v << n) | (v >> (32 - n))) & 0xFFFFFFFF


def cmd_check(epoch, gen, entry, arg):
    """An independent restatement of mbox_cmd_check(): the test's oracle, not a copy of the C."""
    return (DEFS["MBOX_CMD_VALID"] ^ _rol(epoch, 3) ^ _rol(gen, 11) ^ _rol(entry, 17) ^
            _rol(arg, 23) ^ DEFS["MBOX_CHECK_SALT"]) & 0xFFFFFFFF


def stale_slot(epoch, gen, entry, arg=0):
    """A slot as a previous boot leaves it: a valid, PROCEED-ed command addressed to `epoch`."""
    buf = bytearray(SLOT)
    words = {
        "MBOX_CMD_MAGIC": DEFS["MBOX_CMD_VALID"], "MBOX_CMD_EPOCH": epoch, "MBOX_CMD_GEN": gen,
        "MBOX_CMD_ENTRY": entry, "MBOX_CMD_ARG": arg,
        "MBOX_CMD_CHECK": cmd_check(epoch, gen, entry, arg),
        "MBOX_CMD_VERDICT": (gen << 8) | DEFS["MBOX_VERDICT_PROCEED"],
        "MBOX_ST_MAGIC": DEFS["MBOX_ST_VALID"], "MBOX_ST_EPOCH": epoch,
        "MBOX_ST_ACK": (gen << 8) | DEFS["MBOX_STATE_PARKED"],
    }
    for name, value in words.items():
        struct.pack_into("<I", buf, DEFS[name], value)
    return bytes(buf)
