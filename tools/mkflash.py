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
# Board switches that may be left undefined (read as 0).
BOARD_SWITCHES = ["PLAT_HAS_PSCI", "PLAT_MUSTER_MEMORY_SECURE"]
# The PSCI node muster's secure monitor answers (Arm DEN0022: PSCI 1.0 with the 0.2 function IDs,
# called with SMC). Linux reads the function IDs from the standard ranges, so the psci-0.1
# properties some device trees carry (QEMU's: cpu_on, cpu_off, ...) must not survive.
PSCI_COMPATIBLE = ["arm,psci-1.0", "arm,psci-0.2"]
PSCI_OLD_PROPERTIES = ["cpu_suspend", "cpu_off", "cpu_on", "migrate"]


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
    src += "".join(f"#if defined({m}) && {m}\nkey_{m}=1\n#else\nkey_{m}=0\n#endif\n"
                   for m in BOARD_SWITCHES)
    inc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include")
    out = run(cc, "-E", "-P", "-D__ASSEMBLER__", f"-I{board_dir}", f"-I{inc}", "-x", "c", "-", input=src)
    values = {}
    for line in out.splitlines():
        name, _, expr = line.partition("=")
        name = name.removeprefix("key_")
        if name in BOARD_MACROS + BOARD_SWITCHES:
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


def cpu_nodes(dtb):
    return [n for n in run("fdtget", "-l", dtb, "/cpus").split() if n.startswith("cpu@")]


def missing_cpus_dts(src, b):
    """DTS text that gives every core the board can have a CPU node (Linux brings up only CPUs its
    device tree lists; Debian's vexpress-v2p-ca15-tc1.dtb lists the 2 of the real tile, QEMU models
    4). dtc merges it into the tree, after the existing nodes, so Linux numbers the CPUs in MPIDR
    order. A node for a core that is absent or does not come up is marked "fail" by muster."""
    nodes = cpu_nodes(src)
    if not nodes:
        die("the device tree has no /cpus/cpu@* nodes")
    cells = int(run("fdtget", "-t", "u", "-d", "1", src, "/cpus", "#address-cells").split()[0])
    have = {int(run("fdtget", "-t", "u", src, f"/cpus/{n}", "reg").split()[-1]) for n in nodes}
    compatible = run("fdtget", "-t", "bx", src, f"/cpus/{nodes[0]}", "compatible").split()
    per = b["PLAT_CORES_PER_CLUSTER"]
    added = []
    for idx in range(b["PLAT_MAX_CPUS"]):
        reg = ((idx // per) << 8) | (idx % per)  # MPIDR affinity fields Aff1, Aff0
        if reg not in have:
            added.append(f"\t\tcpu@{reg:x} {{\n\t\t\tdevice_type = \"cpu\";\n"
                         f"\t\t\tcompatible = [{' '.join(f'{int(x, 16):02x}' for x in compatible)}];\n"
                         f"\t\t\treg = <{'0x0 ' * (cells - 1)}0x{reg:x}>;\n\t\t}};\n")
    if not added:
        return "", 0
    return "\n/ {\n\tcpus {\n" + "".join(added) + "\t};\n};\n", len(added)


def request_psci(dst):
    """Make Linux use muster's PSCI: a /psci node for PSCI 1.0 over SMC, and enable-method =
    "psci" on every CPU (replacing a board-specific one)."""
    if "psci" not in run("fdtget", "-l", dst, "/").split():
        run("fdtput", "-c", dst, "/psci")
    props = run("fdtget", "-p", dst, "/psci").split()
    for prop in PSCI_OLD_PROPERTIES:
        if prop in props:
            run("fdtput", "-d", dst, "/psci", prop)
    run("fdtput", "-t", "s", dst, "/psci", "compatible", *PSCI_COMPATIBLE)
    run("fdtput", "-t", "s", dst, "/psci", "method", "smc")
    for node in cpu_nodes(dst):
        run("fdtput", "-t", "s", dst, f"/cpus/{node}", "enable-method", "psci")


def memory_nodes(dst):
    """{node: [(address, length), ...]} of the root's /memory nodes, and the root's cell counts."""
    root = run("fdtget", "-l", dst, "/").split()
    acells = int(run("fdtget", "-t", "u", "-d", "2", dst, "/", "#address-cells").split()[0])
    scells = int(run("fdtget", "-t", "u", "-d", "1", dst, "/", "#size-cells").split()[0])
    nodes = {}
    for node in (n for n in root if n == "memory" or n.startswith("memory@")):
        cells = [int(x) for x in run("fdtget", "-t", "u", dst, f"/{node}", "reg").split()]
        step = acells + scells
        if not cells or len(cells) % step:
            die(f"/{node}/reg is not a list of <address size> pairs")
        ranges = []
        for i in range(0, len(cells), step):
            addr = sum(c << (32 * (acells - 1 - j)) for j, c in enumerate(cells[i:i + acells]))
            length = sum(c << (32 * (scells - 1 - j)) for j, c in enumerate(cells[i + acells:i + step]))
            ranges.append((addr, length))
        nodes[node] = ranges
    return nodes, acells, scells


def exclude_from_memory(dst, base, size):
    """Cut [base, base + size) out of every /memory node's reg: some OSes ignore /memreserve/."""
    nodes, acells, scells = memory_nodes(dst)
    end = base + size
    for node, ranges in nodes.items():
        cut = []
        for addr, length in ranges:
            if addr < end and base < addr + length:
                if addr < base:
                    cut.append((addr, base - addr))
                if end < addr + length:
                    cut.append((end, addr + length - end))
            else:
                cut.append((addr, length))
        if cut == ranges:
            continue
        out = []
        for addr, length in cut:
            out += [(addr >> (32 * (acells - 1 - j))) & 0xFFFFFFFF for j in range(acells)]
            out += [(length >> (32 * (scells - 1 - j))) & 0xFFFFFFFF for j in range(scells)]
        run("fdtput", "-t", "u", dst, f"/{node}", "reg", *map(str, out))
        print(f"mkflash: /{node}: muster's RAM 0x{base:x}-0x{end:x} cut out of the OS's memory")


def prepare_dtb(src, dst, b, bootargs, initrd_size, psci=False, add_cpus=False):
    """Copy the DTB with what muster needs: muster's RAM reserved and cut out of /memory (where it
    lies in the OS's RAM), room for bootargs, CPU status, initrd range; with `psci`, a /psci node
    and enable-method for muster's PSCI; with `add_cpus`, a node for every core the board can have
    (muster deletes at boot the nodes of cores the hardware does not report)."""
    dts = run("dtc", "-q", "-I", "dtb", "-O", "dts", src)
    # muster's RAM in the OS's memory: only /memreserve/ keeps the OS off it. In Secure-only RAM
    # (PLAT_MUSTER_MEMORY_SECURE) the OS cannot reach it at all and it is no RAM of the OS's.
    if not b["PLAT_MUSTER_MEMORY_SECURE"]:
        reserve = f"/memreserve/ 0x{b['MUSTER_RAM_BASE']:x} 0x{b['MUSTER_RAM_SIZE']:x};\n"
        dts = re.sub(r"^/dts-v1/;\n", "/dts-v1/;\n" + reserve, dts, count=1, flags=re.M)
    if add_cpus:
        extra, added = missing_cpus_dts(src, b)
        if added:
            dts += extra
            print(f"mkflash: the device tree lists {len(cpu_nodes(src))} CPUs, the board can have "
                  f"{b['PLAT_MAX_CPUS']}: added {added} CPU nodes (CPU_NODES=all; muster deletes those of "
                  f"cores that are not there and marks those that do not come up \"fail\")")
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
    if not b["PLAT_MUSTER_MEMORY_SECURE"]:
        exclude_from_memory(dst, b["MUSTER_RAM_BASE"], b["MUSTER_RAM_SIZE"])
    if psci:
        request_psci(dst)
    # Every CPU node gets status = "okay", which muster rewrites to "fail" for a core that failed.
    for node in cpu_nodes(dst):
        run("fdtput", "-t", "s", dst, f"/cpus/{node}", "status", "okay")
    if initrd_size is not None:
        start = b["PLAT_LINUX_INITRD_ADDR"]
        run("fdtput", "-t", "x", dst, "/chosen", "linux,initrd-start", f"{start:x}")
        run("fdtput", "-t", "x", dst, "/chosen", "linux,initrd-end", f"{start + initrd_size:x}")


DTB_ALIGN = 0x1000  # core/boot.c DTB_ALIGN


def place_dtb(dst, b, initrd_size, kernel_size):
    """Where muster will put the final device tree `dst` (core/boot.c, linux_start): at
    PLAT_LINUX_DTB_ADDR, or just above the initrd when the initrd reaches it. Refuse here, with the
    numbers, what muster would refuse at boot: an initrd or tree outside the RAM the tree itself
    describes (its /memory banks, muster's RAM cut out), or one over the kernel."""
    size = os.path.getsize(dst)
    addr = b["PLAT_LINUX_DTB_ADDR"]
    parts = [("kernel", b["PLAT_LINUX_LOAD"], kernel_size)]
    if initrd_size is not None:
        lo = b["PLAT_LINUX_INITRD_ADDR"]
        hi = lo + initrd_size
        if lo < addr + size and addr < hi:
            addr = (hi + DTB_ALIGN - 1) // DTB_ALIGN * DTB_ALIGN
            print(f"mkflash: the initrd ({initrd_size} bytes) reaches 0x{b['PLAT_LINUX_DTB_ADDR']:x}: "
                  f"muster puts the device tree above it, at 0x{addr:x}")
        parts.append(("initrd", lo, initrd_size))
    parts.append(("device tree", addr, size))
    banks = [r for ranges in memory_nodes(dst)[0].values() for r in ranges]
    for name, start, length in parts[1:]:
        if banks and not any(a <= start and start + length <= a + n for a, n in banks):
            have = ", ".join(f"0x{a:x}-0x{a + n:x}" for a, n in banks)
            die(f"the {name} (0x{start:x}-0x{start + length:x}, {length} bytes) does not fit the RAM the "
                f"device tree describes ({have}): give the tree the board's real memory, or a smaller {name}")
    for i, (n1, s1, l1) in enumerate(parts):
        for n2, s2, l2 in parts[i + 1:]:
            if s1 < s2 + l2 and s2 < s1 + l1:
                die(f"the {n1} (0x{s1:x}-0x{s1 + l1:x}) and the {n2} (0x{s2:x}-0x{s2 + l2:x}) overlap")
    return addr


def parse_module(spec):
    """FILE@ADDR[:COMPATIBLE]: an extra image for a FIT's loadables, at its own load address; with
    COMPATIBLE (e.g. multiboot,kernel), also a /chosen/module@ADDR node naming it, as Xen reads."""
    m = re.fullmatch(r"(.+)@(0x[0-9a-fA-F]+|\d+)(?::([\w,.-]+))?", spec)
    if not m:
        die(f"module '{spec}': expected FILE@ADDR[:COMPATIBLE]")
    path, addr, compat = m.group(1), int(m.group(2), 0), m.group(3)
    if not os.path.isfile(path):
        die(f"module '{spec}': no file {path}")
    return path, addr, compat


def add_module_nodes(dtb, modules):
    """/chosen/module@ADDR { compatible = "multiboot,module", "<compat>"; reg = <ADDR SIZE>; } for
    each module that names a compatible (Xen's docs/misc/arm/device-tree/booting.txt)."""
    cells = int(run("fdtget", "-t", "u", "-d", "2", dtb, "/", "#address-cells").split()[0])
    size_cells = int(run("fdtget", "-t", "u", "-d", "1", dtb, "/", "#size-cells").split()[0])
    for path, addr, compat in modules:
        if not compat:
            continue
        node = f"/chosen/module@{addr:x}"
        run("fdtput", "-c", dtb, node)
        run("fdtput", "-t", "s", dtb, node, "compatible", "multiboot,module", compat)
        reg = ["0"] * (cells - 1) + [f"{addr:#x}"] + ["0"] * (size_cells - 1) + [f"{os.path.getsize(path):#x}"]
        run("fdtput", "-t", "u", dtb, node, "reg", *[str(int(x, 0)) for x in reg])


def make_fit(tmp, out, kernel, load, initrd, initrd_addr, dtb, dtb_addr, modules):
    """A FIT (mkimage -f) with a sha256 hash per image and one configuration naming them all."""
    def image(name, path, typ, load_addr, entry=None, os_name="linux"):
        lines = [f"\t\t{name} {{", f'\t\t\tdata = /incbin/("{path}");', f'\t\t\ttype = "{typ}";',
                 '\t\t\tarch = "arm";', f'\t\t\tos = "{os_name}";', '\t\t\tcompression = "none";',
                 f"\t\t\tload = <{load_addr:#x}>;"]
        if entry is not None:
            lines.append(f"\t\t\tentry = <{entry:#x}>;")
        lines += ['\t\t\thash-1 { algo = "sha256"; };', "\t\t};"]
        return "\n".join(lines)
    images = [image("kernel", kernel, "kernel", load, load)]
    conf = ['\t\t\tkernel = "kernel";']
    if initrd:
        images.append(image("ramdisk", initrd, "ramdisk", initrd_addr))
        conf.append('\t\t\tramdisk = "ramdisk";')
    if dtb:
        images.append(image("fdt", dtb, "flat_dt", dtb_addr))
        conf.append('\t\t\tfdt = "fdt";')
    names = []
    for i, (path, addr, _) in enumerate(modules):
        names.append(f"module-{i + 1}")
        images.append(image(names[-1], os.path.abspath(path), "loadable", addr))
    if names:
        conf.append("\t\t\tloadables = " + ", ".join(f'"{n}"' for n in names) + ";")
    its = ("/dts-v1/;\n/ {\n\tdescription = \"muster payload\";\n\t#address-cells = <1>;\n\timages {\n"
           + "\n".join(images) + "\n\t};\n\tconfigurations {\n\t\tdefault = \"conf-1\";\n\t\tconf-1 {\n"
           + "\n".join(conf) + "\n\t\t};\n\t};\n};\n")
    path = os.path.join(tmp, "payload.its")
    with open(path, "w") as f:
        f.write(its)
    run("mkimage", "-f", path, out)


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
    ap.add_argument("--fit", action="store_true",
                    help="a FIT (mkimage -f) instead of a legacy multi-file image: each image at its "
                         "own load address, with a sha256 hash")
    ap.add_argument("--module", action="append", default=[], metavar="FILE@ADDR[:COMPATIBLE]",
                    help="with --fit: an extra image loaded at ADDR (a FIT loadable); COMPATIBLE "
                         "(multiboot,kernel / multiboot,ramdisk) also adds a /chosen/module node")
    ap.add_argument("--add-cpu-nodes", action="store_true",
                    help="give every core the board can have a CPU node the device tree lacks "
                         "(make flash CPU_NODES=all); by default the user's CPU nodes are kept as they are")
    ap.add_argument("--payload", help="a uImage or FIT made elsewhere (mkimage), written as it is")
    ap.add_argument("--xen-bootargs", help="/chosen/xen,xen-bootargs: a hypervisor's (Xen's) own command line")
    ap.add_argument("--dom0-bootargs", help="/chosen/xen,dom0-bootargs: the command line of Xen's dom0 kernel")
    ap.add_argument("--kernel-only", action="store_true",
                    help="a kernel image (mkimage -T kernel) with the prepared DTB appended to the zImage")
    ap.add_argument("--bootargs", default="")
    ap.add_argument("--ack-timeout-ms", type=int, default=0)
    ap.add_argument("--bootdelay-ms", type=int, default=2000)
    ap.add_argument("--no-settings", action="store_true", help="leave the settings block erased")
    ap.add_argument("--no-psci", action="store_true",
                    help="on a board with PLAT_HAS_PSCI, leave the device tree's /psci node and CPU "
                         "enable-method as they are (Linux then does not ask muster's PSCI: the "
                         "board's own SMP protocol, e.g. the SYS_FLAGS pen, or CPU0 only)")
    a = ap.parse_args()

    for tool in ("mkimage", "dtc", "fdtput", "fdtget"):
        if not shutil.which(tool):
            die(f"{tool} is missing (tools/install-deps.sh installs it)")
    b = board_constants(a.board_dir, a.cc)
    psci = bool(b["PLAT_HAS_PSCI"]) and not a.no_psci
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
            if psci:
                # muster reads only a device tree of its own image part: it cannot see an appended
                # one ask for PSCI, and starts such a kernel the classic way (Secure SVC, no PSCI).
                print("mkflash: KERNEL_ONLY=1: the appended device tree is left without muster's PSCI "
                      "(muster cannot read it); a multi-file image (no KERNEL_ONLY) gets PSCI")
            prepare_dtb(a.dtb, dtb, b, a.bootargs, None, False, a.add_cpu_nodes)
            zimage = os.path.join(tmp, "zImage-dtb")
            with open(zimage, "wb") as f:
                f.write(open(a.kernel, "rb").read() + open(dtb, "rb").read())
            run("mkimage", "-A", "arm", "-O", "linux", "-T", "kernel", "-C", "none",
                "-a", f"0x{b['PLAT_LINUX_LOAD']:x}", "-e", f"0x{b['PLAT_LINUX_LOAD']:x}",
                "-n", "linux-appended-dtb", "-d", zimage, uimg)
        elif a.payload:
            if a.kernel or a.standalone:
                die("PAYLOAD= is a whole image: no KERNEL= or standalone with it")
            uimg = a.payload
        elif a.kernel and a.fit:
            if not a.dtb:
                die("a Linux payload needs DTB=...")
            dtb = os.path.join(tmp, "board.dtb")
            initrd_size = os.path.getsize(a.initrd) if a.initrd else None
            prepare_dtb(a.dtb, dtb, b, a.bootargs, initrd_size, psci, a.add_cpu_nodes)
            modules = [parse_module(m) for m in a.module]
            add_module_nodes(dtb, modules)
            for prop, value in (("xen,xen-bootargs", a.xen_bootargs), ("xen,dom0-bootargs", a.dom0_bootargs)):
                if value:
                    run("fdtput", "-t", "s", dtb, "/chosen", prop, value)
            uimg = os.path.join(tmp, "payload.itb")
            dtb_addr = place_dtb(dtb, b, initrd_size, os.path.getsize(a.kernel))
            make_fit(tmp, uimg, os.path.abspath(a.kernel), b["PLAT_LINUX_LOAD"], a.initrd and os.path.abspath(a.initrd),
                     b["PLAT_LINUX_INITRD_ADDR"], dtb, dtb_addr, modules)
        elif a.module:
            die("MODULES= needs FIT=1 and a KERNEL=")
        elif a.kernel:
            if not a.dtb:
                die("a Linux payload needs DTB=...")
            dtb = os.path.join(tmp, "board.dtb")
            initrd_size = os.path.getsize(a.initrd) if a.initrd else None
            prepare_dtb(a.dtb, dtb, b, a.bootargs, initrd_size, psci, a.add_cpu_nodes)
            place_dtb(dtb, b, initrd_size, os.path.getsize(a.kernel))
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
            if uimg != a.payload:
                shutil.copy(uimg, os.path.splitext(a.out)[0] + (".itb" if a.fit else ".uimg"))
    with open(a.out, "wb") as f:
        f.write(image)
    print(f"mkflash: {a.out}: muster {len(muster)} B at 0x0, settings at 0x{b['MUSTER_SETTINGS_ADDR']:x}"
          f"{' (none)' if a.no_settings else ''}, payload at 0x{b['MUSTER_PAYLOAD_ADDR']:x}")


if __name__ == "__main__":
    main()
