"""Writes a gzipped newc cpio (a Linux initramfs) from a gen_init_cpio-style list, with Python's stdlib only."""
# Usage: mkcpio.py LIST OUT.cpio.gz   (LIST "-" reads standard input)
#
# LIST lines, as the kernel's usr/gen_init_cpio takes them ('#' comments and blank lines ignored):
#   dir  <name> <mode> <uid> <gid>
#   file <name> <source-path> <mode> <uid> <gid>
#   nod  <name> <mode> <uid> <gid> <c|b> <major> <minor>
#   slink <name> <target> <mode> <uid> <gid>
# Modes are octal. Every mtime is 0 and the gzip header carries no time or name, so the same inputs
# always give the same bytes. Device nodes need no privileges: they are only headers.
import gzip
import os
import stat
import sys

def header(ino, mode, uid, gid, nlink, size, rmajor, rminor, name):
    """One newc header plus its NUL-terminated name, padded to 4 bytes."""
    encoded = name.encode() + b"\0"
    fields = (ino, mode, uid, gid, nlink, 0, size, 0, 0, rmajor, rminor, len(encoded), 0)
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + encoded
    return head + b"\0" * (-len(head) % 4)


def entries(lines):
    """Yields (name, mode, uid, gid, data, rmajor, rminor) for each list line."""
    for number, raw in enumerate(lines, 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        kind = words[0]
        want = {"dir": 5, "file": 6, "nod": 8, "slink": 6}.get(kind)
        if want is None or len(words) != want:
            raise SystemExit(f"mkcpio: line {number}: cannot parse {raw.rstrip()!r}")
        name = words[1].lstrip("/")
        if kind == "dir":
            mode, uid, gid = words[2:5]
            yield name, stat.S_IFDIR | int(mode, 8), int(uid), int(gid), b"", 0, 0
        elif kind == "file":
            with open(words[2], "rb") as src:
                data = src.read()
            mode, uid, gid = words[3:6]
            yield name, stat.S_IFREG | int(mode, 8), int(uid), int(gid), data, 0, 0
        elif kind == "slink":
            mode, uid, gid = words[3:6]
            yield name, stat.S_IFLNK | int(mode, 8), int(uid), int(gid), words[2].encode(), 0, 0
        else:
            mode, uid, gid, dev, major, minor = words[2:8]
            if dev not in ("c", "b"):
                raise SystemExit(f"mkcpio: line {number}: device type must be c or b")
            kind_bits = stat.S_IFCHR if dev == "c" else stat.S_IFBLK
            yield name, kind_bits | int(mode, 8), int(uid), int(gid), b"", int(major), int(minor)


def build(lines):
    """The whole uncompressed archive."""
    out = bytearray()
    for ino, (name, mode, uid, gid, data, rmajor, rminor) in enumerate(entries(lines), 1):
        nlink = 2 if stat.S_ISDIR(mode) else 1
        out += header(ino, mode, uid, gid, nlink, len(data), rmajor, rminor, name)
        out += data + b"\0" * (-len(data) % 4)
    out += header(0, 0, 0, 0, 1, 0, 0, 0, "TRAILER!!!")
    out += b"\0" * (-len(out) % 512)
    return bytes(out)


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: mkcpio.py LIST OUT.cpio.gz   (LIST '-' reads standard input)")
    if argv[1] == "-":
        lines = sys.stdin.readlines()
    else:
        with open(argv[1], encoding="utf-8") as listing:
            lines = listing.readlines()
    archive = build(lines)
    tmp = argv[2] + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(archive)
    os.replace(tmp, argv[2])


if __name__ == "__main__":
    main(sys.argv)
