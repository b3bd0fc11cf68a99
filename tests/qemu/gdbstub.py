"""Plants memory contents before the first instruction runs, through QEMU's gdbstub.

QEMU's generic loader (`-device loader`) writes the Non-secure address space, so it cannot reach
Secure-only RAM (virt's `virt.secure-ram`): what it "loads" there is silently dropped. With `-S`
every CPU waits in its reset state, Secure SVC with the MMU off, and the gdbstub's memory
accesses go through that CPU's current address space: the Secure one. Each write is read back,
so a plant that did not land fails the test instead of passing it vacuously.
"""
import socket
import time


def gdb_args(sock_path):
    """QEMU arguments: stopped before the first instruction (-S), the gdbstub on a Unix socket."""
    return ["-S", "-chardev", f"socket,path={sock_path},server=on,wait=off,id=gdb0", "-gdb", "chardev:gdb0"]


class _Remote:
    """The few packets of the GDB remote serial protocol that planting needs."""

    def __init__(self, sock_path, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(timeout)
                self.sock.connect(sock_path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise AssertionError(f"QEMU's gdbstub socket {sock_path} never appeared")
                time.sleep(0.05)
        self.buf = b""

    def request(self, body):
        """Send one packet, return the body of the reply (acknowledgments consumed and sent)."""
        data = body.encode()
        self.sock.sendall(b"$" + data + b"#%02x" % (sum(data) & 0xFF))
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                reply = self.buf[start + 1:end].decode()
                self.buf = self.buf[end + 3:]
                self.sock.sendall(b"+")
                return reply
            chunk = self.sock.recv(4096)
            if not chunk:
                raise AssertionError(f"the gdbstub closed the connection after {body[:20]!r}")
            self.buf += chunk

    def close(self):
        self.sock.close()


def plant(sock_path, addr, data, chunk=1024):
    """Write `data` at `addr` through the stopped CPU, read it back, and let the machine run."""
    gdb = _Remote(sock_path)
    try:
        for off in range(0, len(data), chunk):
            part = data[off:off + chunk]
            reply = gdb.request(f"M{addr + off:x},{len(part):x}:{part.hex()}")
            assert reply == "OK", f"gdbstub write at 0x{addr + off:08x}: {reply}"
            back = gdb.request(f"m{addr + off:x},{len(part):x}")
            assert back == part.hex(), f"gdbstub read back at 0x{addr + off:08x}: {back[:32]}..."
        assert gdb.request("D") == "OK"  # detach: the machine runs from reset
    finally:
        gdb.close()
