#!/usr/bin/env bash
# The README's promise on a fresh machine: `make run` and `make test` in a minimal Debian chroot.
#
#   tools/fresh-machine.sh [--run-only] bookworm|trixie      (as root; not part of `make test`)
#
# debootstraps a minbase Debian of that release into build/fresh-<release>/ (afresh each run; the
# mirror is the one this system's apt uses), mounts /proc, /sys, /dev and /dev/pts in it (in a
# private mount namespace, so they are never visible outside this run, and unmounted on exit),
# installs git, make and ca-certificates and nothing else, clones the committed HEAD of this checkout
# to /root/muster, and runs there `make run` (no input, 600 s at most: the demo payload powers the
# machine off) and `make test`. Logs: build/fresh-<release>-setup.log, -run.log, -test.log. Ends with the
# `smp:` line and the `N passed, N failed` line; exits non-zero if either step failed.
# --run-only stops after `make run`.
set -euo pipefail

usage() { echo "usage: $0 [--run-only] bookworm|trixie" >&2; exit 2; }
args=("$@")
run_only=false
[[ ${1-} == --run-only ]] && { run_only=true; shift; }
[[ $# -eq 1 && $1 =~ ^(bookworm|trixie)$ ]] || usage
release=$1

if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null 2>&1 || { echo "fresh-machine: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
	exec sudo "$0" "${args[@]}"
fi
# Mounts in a namespace of our own: gone with this process, and no `rm -rf build` elsewhere can
# reach the host's /dev through them.
if [[ -z ${FRESH_MACHINE_NS-} ]]; then
	FRESH_MACHINE_NS=1 exec unshare --mount --propagation private "$0" "${args[@]}"
fi

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
head=$(git -C "$repo" rev-parse HEAD)
root=$repo/build/fresh-$release
setuplog=$repo/build/fresh-$release-setup.log
runlog=$repo/build/fresh-$release-run.log
testlog=$repo/build/fresh-$release-test.log
say() { echo "fresh-machine: $*"; }

# The mirror apt uses here (deb822 first, then the one-line format); never a fixed host name.
mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
	/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' \
	/etc/apt/sources.list 2>/dev/null | head -n 1)
[[ -n $mirror ]] || { echo "fresh-machine: no Debian mirror in /etc/apt/sources.list.d/*.sources or sources.list" >&2; exit 1; }

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
	done
	mounts=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v debootstrap >/dev/null 2>&1; then
	say "installing debootstrap"
	apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

if [[ -e $root ]]; then
	if findmnt -rn -o TARGET | grep -q "^$root/"; then
		echo "fresh-machine: something is still mounted under $root; not removing it" >&2
		exit 1
	fi
	rm -rf --one-file-system "$root"
fi
mkdir -p "$root"
say "debootstrap --variant=minbase $release from $mirror into ${root#"$repo"/}"
debootstrap --variant=minbase "$release" "$root" "$mirror" >"$setuplog" 2>&1 || { tail -n 20 "$setuplog"; exit 1; }

for m in proc sys dev dev/pts; do
	mkdir -p "$root/$m"
	mount --bind "/$m" "$root/$m"
	mounts+=("$root/$m")
done
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# The source checkout, read-only, for the clone; unmounted again before anything else runs.
mkdir -p "$root/mnt/src"
mount --bind "$repo" "$root/mnt/src"
mounts+=("$root/mnt/src")
mount -o remount,bind,ro "$root/mnt/src"

in_root() { # a clean environment, as on a machine of its own
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "$1"
}

say "installing git make ca-certificates"
in_root 'apt-get update -qq && apt-get install -y -qq --no-install-recommends git make ca-certificates' \
	>>"$setuplog" 2>&1 || { tail -n 20 "$setuplog"; exit 1; }
say "cloning ${head:0:12} to /root/muster"
in_root "git -c safe.directory=/mnt/src clone -q --no-hardlinks /mnt/src /root/muster && cd /root/muster &&
	{ [ \"\$(git rev-parse HEAD)\" = $head ] || git checkout -q $head; }"
umount "$root/mnt/src"
unset 'mounts[${#mounts[@]}-1]'

say "make run (log: ${runlog#"$repo"/})"
set +e
in_root 'cd /root/muster && timeout 600 make run </dev/null' >"$runlog" 2>&1
run_rc=$?
set -e
grep -aE '^(smp: [0-9]+ of [0-9]+ CPUs online|demo: |muster: )' "$runlog" | tr -d '\r' || true
smp_line=$(grep -aoE 'smp: [0-9]+ of [0-9]+ CPUs online' "$runlog" | tail -n 1 || true)
demo_line=$(grep -aoE 'demo: [0-9]+ of [0-9]+ CPUs returned verified results' "$runlog" | tail -n 1 || true)
run_ok=true
[[ $run_rc -eq 0 && -n $smp_line && -n $demo_line ]] || run_ok=false
read -r n m < <(echo "$smp_line" | awk '{print $2, $4}')
[[ ${n:-x} == "${m:-y}" ]] || run_ok=false
$run_ok || { say "make run FAILED (exit status $run_rc); last lines:"; tail -n 20 "$runlog"; }

test_line="" test_ok=true
if ! $run_only; then
	say "make test (log: ${testlog#"$repo"/})"
	set +e
	in_root 'cd /root/muster && make test </dev/null' >"$testlog" 2>&1
	test_rc=$?
	set -e
	test_line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$testlog" | tail -n 1 || true)
	[[ $test_rc -eq 0 && -n $test_line ]] || { test_ok=false; tail -n 40 "$testlog"; }
fi

echo "fresh-machine $release: make run: ${smp_line:-no smp: line}$($run_ok && echo ", ok" || echo ", FAILED")"
$run_only || echo "fresh-machine $release: make test: ${test_line:-no summary line}$($test_ok && echo ", ok" || echo ", FAILED")"
$run_ok && $test_ok
