#!/usr/bin/env bash
# `make test`: every suite in turn (build, static checks, host unit tests, short stress, model check,
# QEMU console tests); ends with the one line CI reads: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
bash tools/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

PY=/usr/bin/python3 # Debian's python3-pytest and python3-pexpect live here
# The QEMU suites run on QEMU >= 10 (tools/get-qemu.sh: the system's, or Debian's backport in
# build/qemu/); a smoke run of every board also uses the system's own QEMU when that is older.
QEMU=${QEMU:-$(bash tools/get-qemu.sh)} || { echo "0 passed, 1 failed"; exit 1; }
export QEMU
SYSTEM_QEMU=$(bash tools/get-qemu.sh --system 2>/dev/null || true)
qemu_version() { "$1" --version | head -n 1; }
echo "QEMU suites: $QEMU ($(qemu_version "$QEMU"))"
LOG=build/test-logs
mkdir -p "$LOG"
passed=0 failed=0

add() { # suite passed failed
	passed=$((passed + $2)); failed=$((failed + $3))
	echo "== $1: $2 passed, $3 failed"
}

# Run a command, log it, and count it as one test by its exit status.
one() { # suite command...
	local suite=$1; shift
	if "$@" >"$LOG/$suite.log" 2>&1; then add "$suite" 1 0
	else tail -n 40 "$LOG/$suite.log"; add "$suite" 0 1; fi
}

# Count a suite that ends with its own "N passed, N failed" line.
counted() { # suite command...
	local suite=$1; shift
	"$@" >"$LOG/$suite.log" 2>&1
	local rc=$? line
	line=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed$' "$LOG/$suite.log" | tail -n 1)
	if [ -z "$line" ]; then tail -n 40 "$LOG/$suite.log"; add "$suite" 0 1; return; fi
	local p f
	p=$(echo "$line" | sed -E 's/.*\b([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*\b([0-9]+) failed.*/\1/')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && grep -E 'FAILED|failed|error' "$LOG/$suite.log" | head -n 20
	add "$suite" "$p" "$f"
}

for plat in $(ls platform | grep -v '^common$'); do
	one "build $plat" make -s --no-print-directory PLATFORM="$plat" all
done
counted static bash tools/static-checks.sh

# Host unit tests (cmocka): sum its per-group PASSED / FAILED lines.
make -s --no-print-directory host-test >"$LOG/host.log" 2>&1
rc=$?
hp=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$LOG/host.log" | awk '{s += $4} END {print s + 0}')
hf=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$LOG/host.log" | awk '{s += $4} END {print s + 0}')
if [ "$rc" -ne 0 ] && [ "$hf" -eq 0 ]; then hf=1; tail -n 40 "$LOG/host.log"; fi
add host-unit "$hp" "$hf"

one stress-short make -s --no-print-directory stress-short
one fuzz-short make -s --no-print-directory fuzz-short
counted model bash tools/model-check.sh

# QEMU tests through pytest, once per board; JUnit XML gives exact counts.
PLATFORMS=$(ls platform | grep -v '^common$')
for plat in $PLATFORMS; do
	(cd tests/qemu && PLATFORM=$plat timeout 1500 $PY -m pytest -q -p no:cacheprovider \
		--junitxml="../../$LOG/qemu-$plat.xml" . >"../../$LOG/qemu-$plat.log" 2>&1)
	rc=$?
	read -r qp qf < <($PY - "$LOG/qemu-$plat.xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1); sys.exit()
suites = [root] if root.tag == "testsuite" else list(root)
t = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skip = sum(int(s.get("skipped", 0)) for s in suites)
print(t - bad - skip, bad)
PYEOF
)
	if [ "$rc" -ne 0 ] && [ "$qf" -eq 0 ]; then qf=1; fi
	[ "$qf" -ne 0 ] && grep -E '^(FAILED|ERROR)' "$LOG/qemu-$plat.log" | head -n 30
	add "qemu $plat" "$qp" "$qf"
done

# Smoke run on the distribution's own QEMU, whatever its version: every board boots the demo from
# flash on all CPUs, as `make run` does.
if [ -n "$SYSTEM_QEMU" ] && [ "$(qemu_version "$SYSTEM_QEMU")" != "$(qemu_version "$QEMU")" ]; then
	echo "smoke run: $SYSTEM_QEMU ($(qemu_version "$SYSTEM_QEMU"))"
	for plat in $PLATFORMS; do
		(cd tests/qemu && QEMU=$SYSTEM_QEMU PLATFORM=$plat timeout 600 $PY -m pytest -q -p no:cacheprovider \
			test_boot.py -k test_make_run_path_boots_from_pflash >"../../$LOG/smoke-$plat.log" 2>&1)
		if [ $? -eq 0 ]; then add "smoke $plat on the system QEMU" 1 0
		else tail -n 30 "$LOG/smoke-$plat.log"; add "smoke $plat on the system QEMU" 0 1; fi
	done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
