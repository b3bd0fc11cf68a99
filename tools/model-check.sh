#!/usr/bin/env bash
# Exhaustive spin check of tests/model/handshake.pml and psci.pml: the real configurations must pass, every mutant must fail.
#
# Runs from anywhere (it changes to the repository root), builds in build/model/, prints one line
# per run with its state count and time, and ends with `model: K passed, F failed` (exit status 1
# when F > 0). Every run is a full state-space search, never -DBITSTATE:
#  - the code as it is (1, 2 and 3 secondaries; and a board with CPU power control): pan -DSAFETY
#    -DCOLLAPSE must report "errors: 0", finish the search (no "Search not completed", no "max
#    search depth too small"), and reach every statement tagged @reach for the run's kind; the
#    other unreached statements are listed;
#  - no execution runs for ever: pan -DNP -l must find no non-progress cycle;
#  - mutants, each of which breaks one safeguard of the code: pan must find a violation of the
#    property that safeguard protects (the model stores its number in `failed`), or for a mutant that
#    makes an execution endless, a non-progress cycle. So the check cannot pass vacuously.
# Logs, trails and the unreached lists stay in build/model/<run>/. Runs are serialised by a lock.
#
# Environment: MODEL_QUICK=1 skips the 3-secondary run (for quick iterations);
# MODEL_MEMLIM_MB (default 6144) caps pan's memory.
set -u
cd "$(dirname "$0")/.." || exit 1

MODEL=tests/model/handshake.pml # the PSCI section below switches to psci.pml
OUT=build/model
MEMLIM=${MODEL_MEMLIM_MB:-6144}
DEPTH=20000
passed=0
failed=0

for tool in spin gcc; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "model: $tool not found (tools/install-deps.sh installs it)"
		echo "model: 0 passed, 1 failed"
		exit 1
	fi
done
mkdir -p "$OUT"
# One run at a time: a second invocation (make test in another shell) waits for this one.
exec 9>"$OUT/.lock"
if ! flock -w 3600 9; then
	echo "model: $OUT is locked by another run for an hour"
	echo "model: 0 passed, 1 failed"
	exit 1
fi

# build NAME DEFINES...: spin -a and gcc in $OUT/NAME; prints nothing on success.
build() {
	local name=$1
	shift
	local dir=$OUT/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$MODEL" "$dir/handshake.pml"
	if ! (cd "$dir" && spin "$@" -a handshake.pml >spin.log 2>&1); then
		echo "model: $name: spin -a failed:"
		sed 's/^/  /' "$dir/spin.log" | head -n 20
		return 1
	fi
	if ! (cd "$dir" && gcc -O2 -w "${PANMODE:--DSAFETY}" -DCOLLAPSE -DMEMLIM="$MEMLIM" -o pan pan.c >gcc.log 2>&1); then
		echo "model: $name: gcc failed:"
		sed 's/^/  /' "$dir/gcc.log" | head -n 20
		return 1
	fi
}

# search NAME PAN_ARGS...: runs pan, leaves pan.out and the elapsed seconds in $elapsed.
elapsed=0
search() {
	local name=$1
	shift
	local dir=$OUT/$name t0 t1 ms
	t0=$(date +%s%N)
	(cd "$dir" && ./pan -m"$DEPTH" "$@" >pan.out 2>&1)
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	elapsed=$(printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)))
}

# stats FILE: the numbers pan reports (as pan prints them: large counts come rounded, as 1.2e+08).
stats() {
	local f=$1
	states=$(grep -E '^ *[0-9.e+]+ states, stored' "$f" | awk '{print $1}')
	trans=$(grep -E 'transitions \(= (stored|visited)\+matched\)' "$f" | awk '{print $1}')
	depth=$(grep -oE 'depth reached [0-9]+' "$f" | awk '{print $3}')
	errors=$(grep -oE 'errors: [0-9]+' "$f" | awk '{print $2}')
	mem=$(grep -E 'total actual memory usage' "$f" | awk '{printf "%d", $1}')
}

# tagged_lines TAGS: the lines tagged @reach, or @reach-T for a T in the comma-separated TAGS.
tagged_lines() {
	local pat='@reach( |$)' t
	for t in ${1//,/ }; do pat="$pat|@reach-$t( |$)"; done
	grep -nE "$pat" "$MODEL" | cut -d: -f1
}

# base NAME LABEL TAGS DEFINES...: one configuration that must pass; TAGS name the @reach-T
# statements it must reach besides the @reach ones (words, atomic, r3, power).
base() {
	local name=$1 label=$2 tags=$3
	shift 3
	if ! build "$name" "$@"; then failed=$((failed + 1)); return; fi
	search "$name" -w25
	local dir=$OUT/$name f=$OUT/$name/pan.out why=""
	stats "$f"
	[ "${errors:-x}" = 0 ] || why="$why errors ${errors:-?};"
	[ "${errors:-x}" = 0 ] && grep -q 'Search not completed' "$f" && why="$why search not completed;"
	grep -q 'max search depth too small' "$f" && why="$why depth limit reached;"
	grep -q 'Bit statespace' "$f" && why="$why bitstate search;"
	# unreached statements: list them all, fail on a tagged one
	grep -E '^\s+handshake\.pml:[0-9]+, state' "$f" | sed -E 's/^\s+handshake\.pml:([0-9]+), state [0-9]+, (.*)$/\1 \2/' \
		| sort -u | sort -n -s >"$dir/unreached.txt"
	local missed=""
	for line in $(tagged_lines "$tags"); do
		if grep -qE "^$line " "$dir/unreached.txt"; then
			missed="$missed $line"
		fi
	done
	[ -z "$missed" ] || why="$why tagged statements unreached (lines$missed);"
	# Unreached statements that are not a property's violation branch (`failed = N`) nor the end of
	# the endless Env process: expected ones are statements of the other mode (see the model).
	local benign other
	benign=$( (grep -nE 'failed = (n|99);' "$MODEL"; grep -nE '^}' "$MODEL" | awk -F: -v env="$(grep -n '^active proctype Env' "$MODEL" | cut -d: -f1)" '$1 > env' | head -n 1) | cut -d: -f1 | tr '\n' '|')
	other=$(cut -d' ' -f1 "$dir/unreached.txt" | sort -n -u | grep -vxE "${benign%|}" | tr '\n' ' ')
	echo "model: $label: ${states:-?} states stored, ${trans:-?} transitions, depth ${depth:-?}, errors ${errors:-?}" \
		"($*; ${elapsed} s, ${mem:-?} MB)"
	local tagnote="none tagged @reach"
	[ -z "$missed" ] || tagnote="TAGGED @reach AND UNREACHED: lines$missed"
	echo "  unreached: only never-taken violation branches${other:+, and statements at lines ${other% }}" \
		"($tagnote; list in $dir/unreached.txt)"
	if [ -z "$why" ]; then
		passed=$((passed + 1))
	else
		echo "model: $label: FAILED:$why see $dir/pan.out; trail: (cd $dir && spin -t -p $* handshake.pml)"
		grep -E '^pan:[0-9]+: ' "$f" | head -n 3 | sed 's/^/  /'
		failed=$((failed + 1))
	fi
}

# finite NAME LABEL DEFINES...: no non-progress cycle (pan -DNP -l with no progress label in the
# model: any cycle would be one). With P3 and P4 this makes every execution end with the coordinator
# returned and every running secondary parked.
finite() {
	local name=$1 label=$2
	shift 2
	if ! PANMODE=-DNP build "$name" "$@"; then failed=$((failed + 1)); return; fi
	search "$name" -l -w25
	local f=$OUT/$name/pan.out why=""
	stats "$f"
	grep -q 'non-progress cycles.*+' "$f" || why="$why not a non-progress search;"
	[ "${errors:-x}" = 0 ] || why="$why errors ${errors:-?} (a cycle);"
	[ "${errors:-x}" = 0 ] && grep -q 'Search not completed' "$f" && why="$why search not completed;"
	grep -q 'max search depth too small' "$f" && why="$why depth limit reached;"
	echo "model: $label: ${states:-?} states stored, ${trans:-?} transitions, depth ${depth:-?}, errors ${errors:-?}" \
		"($* -DNP, pan -l; ${elapsed} s, ${mem:-?} MB)"
	if [ -z "$why" ]; then
		passed=$((passed + 1))
	else
		echo "model: $label: FAILED:$why see $f"
		failed=$((failed + 1))
	fi
}

# cycle_mutant NAME DEFINES...: a mutant that makes an execution run for ever: -DNP must find it.
cycle_mutant() {
	local name=$1
	shift
	if ! PANMODE=-DNP build "mutant-$name" "$@"; then failed=$((failed + 1)); return; fi
	search "mutant-$name" -l -w24
	local f=$OUT/mutant-$name/pan.out
	stats "$f"
	if grep -q '^pan:1: non-progress cycle' "$f"; then
		echo "model mutant $name: violation found (expected): an execution that never ends, depth ${depth:-?}, ${states:-?} states, ${elapsed} s"
		passed=$((passed + 1))
	else
		echo "model mutant $name: FAILED: no non-progress cycle found (see $f)"
		failed=$((failed + 1))
	fi
}

# mutant NAME EXPECTED_PROPERTY DEFINES...: must be caught, as a violation of that property.
mutant() {
	local name=$1 want=$2
	shift 2
	if ! build "mutant-$name" "$@"; then failed=$((failed + 1)); return; fi
	search "mutant-$name" -w24
	local f=$OUT/mutant-$name/pan.out got
	stats "$f"
	got=$(grep -oE 'assertion violated \(failed!=[0-9]+\)' "$f" | head -n 1 | grep -oE '[0-9]+\)$' | tr -d ')')
	if [ "${errors:-0}" != 0 ] && [ "$got" = "$want" ]; then
		echo "model mutant $name: violation found (expected): property P$got, depth ${depth:-?}, ${states:-?} states, ${elapsed} s"
		passed=$((passed + 1))
	elif [ "${errors:-0}" != 0 ]; then
		echo "model mutant $name: FAILED: another violation found, expected a violation of P$want (see $f)"
		grep -E '^pan:[0-9]+: ' "$f" | head -n 3 | sed 's/^/  /'
		failed=$((failed + 1))
	else
		echo "model mutant $name: FAILED: no violation found (the check would pass a broken protocol)"
		failed=$((failed + 1))
	fi
}

echo "model: spin $(spin -V | awk '{print $3}'), exhaustive search (-DSAFETY -DCOLLAPSE, no bitstate), depth limit $DEPTH"

# ---- the code as it is: every property must hold ----------------------------------------
# 1 secondary, word level: multi-word publish, word-by-word pen_take (tearing, P7), every stale
# scenario, dead or alive, 3 warm resets, all three smp_release calls.
base words-1 "1 secondary" words,r3 -DNSEC=1 -DROUNDS=3 -DRESETS=3
# 2 secondaries, command line as one step (justified by P7 above), every stale scenario per slot,
# dead or alive, 2 warm resets, all three smp_release calls.
base atomic-2 "2 secondaries" atomic,r3 -DNSEC=2 -DROUNDS=3 -DRESETS=2 -DATOMIC_CMD
# 3 secondaries: first release and the boot retry, one warm reset, slot k with stale scenario k.
if [ "${MODEL_QUICK:-0}" != 1 ]; then
	base atomic-3 "3 secondaries" atomic -DNSEC=3 -DROUNDS=2 -DRESETS=1 -DATOMIC_CMD -DSTALE_SPREAD
fi
# A board with PLAT_HAS_CPU_POWER (orangepi-pc, sabrelite): cores start at release_one's plat_cpu_power_on,
# and poll_one holds an abandoned core in reset wherever it is (or the hold does not take).
base power-words-1 "1 secondary, CPU power control" words,r3,power -DNSEC=1 -DROUNDS=3 -DRESETS=2 -DCPU_POWER
base power-atomic-2 "2 secondaries, CPU power control" atomic,r3,power -DNSEC=2 -DROUNDS=3 -DRESETS=1 -DATOMIC_CMD -DCPU_POWER

# No execution runs forever (no livelock, e.g. a pen and a coordinator waking each other for ever).
finite np-words-1 "1 secondary, every execution finite" -DNSEC=1 -DROUNDS=3 -DRESETS=2
finite np-atomic-2 "2 secondaries, every execution finite" -DNSEC=2 -DROUNDS=2 -DRESETS=1 -DATOMIC_CMD

# ---- mutants: each breaks one safeguard of the code; the check must catch it --------------
W=(-DNSEC=1 -DROUNDS=2 -DRESETS=1)          # word level
A=(-DNSEC=2 -DROUNDS=2 -DRESETS=1 -DATOMIC_CMD) # the abstraction of the larger runs must catch them too
mutant secondary-timeout 1 "${W[@]}" -DMUTANT_SECONDARY_TIMEOUT     # pen_await_verdict gives up and proceeds
mutant secondary-timeout-atomic 1 "${A[@]}" -DMUTANT_SECONDARY_TIMEOUT
mutant no-verdict-clear 2 "${W[@]}" -DMUTANT_NO_VERDICT_CLEAR       # mbox_publish leaves the old verdict
mutant no-verdict-clear-atomic 2 "${A[@]}" -DMUTANT_NO_VERDICT_CLEAR
mutant ack-any-gen 2 "${W[@]}" -DMUTANT_ACK_ANY_GEN                 # poll_one accepts ONLINE/PARKED of any generation
mutant ack-any-gen-atomic 2 "${A[@]}" -DMUTANT_ACK_ANY_GEN
mutant online-only 2 "${W[@]}" -DMUTANT_ONLINE_ONLY                 # poll_one ignores PARKED|gen (a short entry)
mutant online-only-atomic 2 "${A[@]}" -DMUTANT_ONLINE_ONLY
mutant no-supersede 3 "${W[@]}" -DMUTANT_NO_SUPERSEDE               # pen_await_verdict as before b435f55
mutant no-supersede-atomic 3 "${A[@]}" -DMUTANT_NO_SUPERSEDE
mutant abandon-no-park 3 "${W[@]}" -DMUTANT_ABANDON_NO_PARK         # pen_wait does not write PARKED|gen on ABANDON
mutant abandon-no-park-atomic 3 "${A[@]}" -DMUTANT_ABANDON_NO_PARK
mutant no-proceed-deadline 4 "${W[@]}" -DMUTANT_NO_PROCEED_DEADLINE # poll_one waits for ONLINE without a deadline
mutant no-proceed-deadline-atomic 4 "${A[@]}" -DMUTANT_NO_PROCEED_DEADLINE
mutant no-epoch-check 5 "${W[@]}" -DMUTANT_NO_EPOCH_CHECK           # pen_take ignores cmd_epoch
mutant no-epoch-check-atomic 5 "${A[@]}" -DMUTANT_NO_EPOCH_CHECK
mutant ignore-stale-ack 5 "${W[@]}" -DMUTANT_IGNORE_STALE_ACK       # smp_init ignores the stale st_ack generation
mutant ignore-stale-ack-atomic 5 "${A[@]}" -DMUTANT_IGNORE_STALE_ACK
mutant stale-epoch-ahead 5 "${W[@]}" -DSTALE_EPOCH_AHEAD            # assumption check: a stale command for the next epoch
mutant stale-epoch-ahead-atomic 5 "${A[@]}" -DSTALE_EPOCH_AHEAD
mutant no-handled-check 6 "${W[@]}" -DMUTANT_NO_HANDLED_CHECK       # pen_take takes a handled generation again
mutant no-handled-check-atomic 6 "${A[@]}" -DMUTANT_NO_HANDLED_CHECK
mutant no-check 7 "${W[@]}" -DMUTANT_NO_CHECK                       # pen_take ignores cmd_check
mutant no-reread 7 "${W[@]}" -DMUTANT_NO_REREAD                     # pen_take does not re-read magic and gen
mutant no-withdraw 7 "${W[@]}" -DMUTANT_NO_WITHDRAW                 # mbox_publish does not withdraw the magic first
cycle_mutant readdr-keeps-epoch "${W[@]}" -DMUTANT_READDR_KEEPS_EPOCH   # poll_one re-addresses without recording the epoch
cycle_mutant readdr-keeps-epoch-atomic "${A[@]}" -DMUTANT_READDR_KEEPS_EPOCH

# ---- PSCI (tests/model/psci.pml): CPU_ON races over the bakery lock, CPU_OFF, AFFINITY_INFO -----
MODEL=tests/model/psci.pml
base psci-2 "PSCI: 2 racers, 2 rounds" "" -DNRACERS=2 -DROUNDS=2
if [ "${MODEL_QUICK:-0}" != 1 ]; then
	base psci-3 "PSCI: 3 racers, 1 round" "" -DNRACERS=3 -DROUNDS=1
fi
mutant psci-no-lock 1 -DNRACERS=2 -DMUTANT_NO_LOCK                     # cpu_on without the PSCI lock
mutant psci-no-choosing 1 -DNRACERS=2 -DMUTANT_NO_CHOOSING             # bakery_lock skips the choosing wait
mutant psci-no-releasing-wait 2 -DNRACERS=2 -DMUTANT_NO_RELEASING_WAIT # CPU_OFF says OFF while its releaser is in smp_release
mutant psci-off-before-parked 4 -DNRACERS=2 -DMUTANT_OFF_BEFORE_PARKED # CPU_OFF says OFF before writing PARKED
mutant psci-caller-marks-on 5 -DNRACERS=2 -DMUTANT_CALLER_MARKS_ON     # the CPU_ON caller, not the target, marks ON

echo "model: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
