#!/usr/bin/env bash
# Static checks: compiler-clean fault builds, cppcheck, clang-tidy, board names in generic code, barrier comments,
# the porting interface's checks, smp/'s layering, docs that match the tree.
# Prints one "check: NAME: ok|FAILED" line each and a closing "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

passed=0 failed=0
result() { # name status
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "check: $1: ok"
	else failed=$((failed + 1)); echo "check: $1: FAILED"; fi
}

GENERIC_DIRS="boot smp core payload include"
PLATFORMS=$(ls platform | grep -v '^common$')
FAULT_DEFS="-DMUSTER_FAULTS -DMUSTER_FAULT_KIND=1 -DMUSTER_FAULT_CPU=1 -DMUSTER_FAULT_STAGE=1 -DMUSTER_FAULT_DELAY_MS=0 -DMUSTER_FAULT_SKIP=0"

# 1. Generic code never names a board (boards live under platform/ only).
boards=$(ls platform | grep -v '^common$' | sed 's/.*/\\b&\\b/' | tr '\n' '|')
# Board names, and the SoC and vendor words that name a board as surely (sabrelite: imx, i.MX, NXP).
pattern="(${boards}allwinner|sun8i|\\bh3\\b|\\bvirt\\b|imx|i\\.mx|freescale|\\bnxp\\b)"
# (".arch_extension virt" is the Arm Virtualization Extensions, not the board.)
if out=$(grep -rniE "$pattern" $GENERIC_DIRS | grep -v '\.arch_extension virt'); then
	echo "$out"; result "no board names in generic code" 1
else result "no board names in generic code" 0; fi

# 2. Every barrier in C and assembly carries a comment saying what it orders.
bare=$(grep -rnE '\b(dmb|dsb|isb)\(\);|^\s*(dmb|dsb|isb)\b' $GENERIC_DIRS platform \
	| grep -vE '/\*|@|//' | grep -vE '#define (dmb|dsb|isb)\(\)')
if [ -n "$bare" ]; then echo "$bare"; result "every barrier commented" 1
else result "every barrier commented" 0; fi

# 3. A release build refuses fault injection.
if make -s --no-print-directory RELEASE=1 FAULT=never BUILD=build/check-release >/dev/null 2>&1; then
	result "release build refuses FAULT=" 1
else result "release build refuses FAULT=" 0; fi

# 4. Every fault kind builds warning-free (-Werror).
ok=0
for kind in $(sed -n 's/^FAULT_KINDS := //p' Makefile); do # every kind the Makefile knows
	make -s --no-print-directory FAULT=$kind BUILD=build/check-fault-$kind >/dev/null || ok=1
done
result "fault builds compile with -Werror" $ok

# 5. cppcheck and 6. clang-tidy (settings in .clang-tidy), per board with its own constants.
# cppcheck >= 2.11 limits its analysis of branches unless asked for --check-level=exhaustive (2.10
# has no such option). Its "information" lines (e.g. "Limiting analysis of branches") describe the
# analysis, not the code: they do not fail the check; every other severity does.
CPPCHECK_LEVEL=""
cppcheck --check-level=exhaustive --version >/dev/null 2>&1 && CPPCHECK_LEVEL=--check-level=exhaustive
for plat in $PLATFORMS; do
	# The PSCI test payload exists only for boards that offer PSCI.
	payloads=payload/demo
	grep -qE '^#define PLAT_HAS_PSCI 1' platform/"$plat"/board.h && payloads="$payloads payload/psci-test"
	out=$(cppcheck -q --enable=warning,style,performance,portability --std=c11 --error-exitcode=1 \
		--inline-suppr --suppress=missingIncludeSystem $CPPCHECK_LEVEL -Iinclude -Iplatform/"$plat" \
		$FAULT_DEFS boot smp core $payloads platform/"$plat" platform/common 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out"
	# A non-zero status with nothing but information lines passes; a failure to run does not.
	if [ "$rc" -ne 0 ] && echo "$out" | grep -q ': information: ' &&
		! echo "$out" | grep -qE ': (error|warning|style|performance|portability): '; then rc=0; fi
	result "cppcheck $plat" $rc
	cpu=$(sed -n 's/.*-mcpu=\([a-z0-9-]*\).*/\1/p' platform/"$plat"/platform.mk | head -n 1)
	ok=0
	for f in smp/*.c core/*.c $(for d in $payloads; do echo "$d"/*.c; done) platform/"$plat"/*.c platform/common/*.c; do
		clang-tidy -quiet "$f" -- --target=arm-none-eabi -mcpu="$cpu" -marm -mfloat-abi=soft \
			-ffreestanding -std=gnu11 -Iinclude -Iplatform/"$plat" \
			-isystem /usr/lib/arm-none-eabi/include $FAULT_DEFS 2>/dev/null || { ok=1; echo "clang-tidy: $plat $f"; }
	done
	result "clang-tidy $plat" $ok
done

# The porting interface refuses a board.h without the flash image's window, and one that places
# the image's parts itself (the layout is platform.h's alone): each variant of the host tests'
# board.h must fail to preprocess.
tmp=$(mktemp -d)
ok=0
for variant in "s/^#define PLAT_FLASH_BASE .*//" "s/^#define PLAT_FLASH_SIZE .*//" \
	"\$a #define MUSTER_SETTINGS_ADDR 0x40000" "\$a #define MUSTER_PAYLOAD_ADDR 0x80000"; do
	mkdir -p "$tmp/b" && sed -e "$variant" tests/host/board.h >"$tmp/b/board.h"
	if echo '#include <muster/platform.h>' | gcc -E -D__ASSEMBLER__ -Iinclude -I"$tmp/b" -x c - >/dev/null 2>&1; then
		echo "include/muster/platform.h accepted a board.h edited with: $variant"; ok=1
	fi
done
echo '#include <muster/platform.h>' | gcc -E -D__ASSEMBLER__ -Iinclude -Itests/host -x c - >/dev/null 2>&1 || {
	echo "include/muster/platform.h refused the host tests' board.h as it is"; ok=1; }
rm -rf "$tmp"
result "platform.h refuses a board without PLAT_FLASH_* or with its own flash layout" $ok

# The protocol layer (smp/) depends on neither the console nor the device tree: CPU0's side
# (core/) prints its reports and reads the device tree.
if out=$(grep -nE 'muster/(console|fdt)\.h|\b(con_[a-z_]+|fdt_[a-z_]+)\(' smp/*.c include/muster/smp.h); then
	echo "$out"; result "smp/ uses neither the console nor the device tree" 1
else result "smp/ uses neither the console nor the device tree" 0; fi

# The docs name what exists: paths, links, make targets, every board, the generic directories,
# and none of the sentences this tree has already made false (tools/doc-checks.py).
/usr/bin/python3 tools/doc-checks.py
result "docs match the tree" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
