#!/usr/bin/python3
"""Keep the docs true where a grep can: paths and links that exist, make targets that exist, the
boards the README lists, the generic directories the porting guide names, no sentence this tree
has already made false. Prints one line per finding and exits 1 if there is any."""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
os.chdir(ROOT)

# Sentences that were true once and that newcomers copy: each was fixed, and must not come back.
STALE = {
    r"generic patch pending": "the loader boot, QEMU_MIN_CPUS and the -kernel switch are done",
    r"reads board\.h alone": "payload/payload.ld.S and linker/muster.ld.S read include/muster/platform.h",
    r"sets VBAR = 0|VBAR = 0: this table|start\.S's VBAR = 0": "boot/start.S points VBAR at muster's vectors "
                                                                  "wherever the board links them",
    r"smp/report\.c": "the bring-up report is core/report.c (smp/ prints nothing)",
}
TOP = sorted(d for d in os.listdir(".") if os.path.isdir(d) and not d.startswith(".") and d != "build")
BOARDS = sorted(d for d in os.listdir("platform") if os.path.isfile(os.path.join("platform", d, "platform.mk")))

findings = []


def tracked(*patterns):
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
                         capture_output=True, text=True).stdout.split()
    return sorted(f for f in out if os.path.exists(f))


DOCS = tracked("*.md")
SOURCES = tracked("*.c", "*.h", "*.S", "*.mk", "Makefile", "*.py", "*.sh", "*.pml", "*.cfg")


def find(path, lineno, what):
    findings.append(f"{path}:{lineno}: {what}")


def repo_path(token):
    """The part of a token that names a file of this tree, or None (placeholders, globs, URLs)."""
    token = re.sub(r"[#:].*$", "", token).rstrip(".,;)'")
    token = re.sub(r"'s$", "", token)
    if "/" not in token or re.search(r"[<>*${}\s]|\.\.\.", token) or token.startswith(("/", "http")):
        return None
    return token if token.split("/", 1)[0] in TOP else None


# 1. Paths in the docs (`code spans` and [links](...)), and in comments of the sources, exist.
for doc in DOCS:
    for n, line in enumerate(open(doc, encoding="utf-8"), 1):
        for m in re.finditer(r"`([^`]+)`", line):
            for word in m.group(1).split():
                p = repo_path(word)
                if p and not os.path.exists(p):
                    find(doc, n, f"names {p}, which does not exist")
        for m in re.finditer(r"\]\(([^)]+)\)", line):
            target = m.group(1).split("#", 1)[0]
            if target and not re.match(r"[a-z]+:", target):
                p = os.path.normpath(os.path.join(os.path.dirname(doc), target))
                if not os.path.exists(p):
                    find(doc, n, f"links to {target}, which does not exist")
for src in SOURCES:
    for n, line in enumerate(open(src, encoding="utf-8", errors="replace"), 1):
        comment = re.search(r"(/\*|//|#|@|\*)\s(.*)$", line)
        if not comment:
            continue
        for word in re.findall(r"[\w./-]+/[\w./-]+", comment.group(2)):
            p = repo_path(word)
            # Other projects cited in comments have include/ and tools/ too (QEMU, Linux, U-Boot):
            # of those, only include/muster/ and the scripts are certainly ours.
            if not p or (p.startswith("include/") and not p.startswith("include/muster/")) or \
                    (p.startswith("tools/") and not p.endswith((".sh", ".py"))):
                continue
            if not os.path.exists(p):
                find(src, n, f"comment names {p}, which does not exist")

# 2. No sentence this tree has made false.
for f in DOCS + SOURCES:
    if f == "tools/doc-checks.py":
        continue
    for n, line in enumerate(open(f, encoding="utf-8", errors="replace"), 1):
        for pattern, why in STALE.items():
            if re.search(pattern, line):
                find(f, n, f"says '{re.search(pattern, line).group(0)}': no longer true ({why})")

# 3. The porting guide names exactly the generic directories `make check` searches for board names.
checks = open("tools/static-checks.sh", encoding="utf-8").read()
generic = re.search(r'^GENERIC_DIRS="([^"]+)"', checks, re.M)
guide = re.search(r"Generic code \(([^)]*)\)", open("docs/porting.md", encoding="utf-8").read())
if generic and guide:
    named = sorted(re.findall(r"`([\w-]+)/`", guide.group(1)))
    if named != sorted(generic.group(1).split()):
        find("docs/porting.md", 1, f"names the generic directories {named}; tools/static-checks.sh "
             f"checks {sorted(generic.group(1).split())}")
else:
    find("docs/porting.md", 1, "no 'Generic code (...)' sentence, or no GENERIC_DIRS in tools/static-checks.sh")

# 4. The README's PLATFORM row lists every board, and only boards.
row = next((l for l in open("README.md", encoding="utf-8") if l.startswith("| `PLATFORM` |")), "")
listed = set(re.findall(r"`([\w-]+)`", row)) - {"PLATFORM"}
for board in BOARDS:
    if board not in listed:
        find("README.md", 1, f"the PLATFORM row does not list the board {board}")

# 5. Every `make <target>` the docs name exists.
targets = set()
for mk in ["Makefile", *glob.glob("tests/*/*.mk"), *glob.glob("payload/*/*.mk"), *glob.glob("platform/*/rules.mk")]:
    for m in re.finditer(r"^([\w.-]+(?:\s+[\w.-]+)*)\s*:(?!=)", open(mk, encoding="utf-8").read(), re.M):
        targets.update(m.group(1).split())
    for m in re.finditer(r"^\.PHONY:(.*)$", open(mk, encoding="utf-8").read(), re.M):
        targets.update(m.group(1).split())
for doc in DOCS:
    for n, line in enumerate(open(doc, encoding="utf-8"), 1):
        for m in re.finditer(r"`make ((?:[A-Z_]+=[^\s`]+ )*)([a-z][\w-]*)[^`]*`", line):
            if m.group(2) not in targets:
                find(doc, n, f"names `make {m.group(2)}`, which is no target")

for f in findings:
    print(f"doc-check: {f}")
sys.exit(1 if findings else 0)
