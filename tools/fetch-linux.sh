#!/usr/bin/env bash
# Fetches Debian's armhf kernel (+ the boards' DTBs) and static busybox with apt, builds a tiny initramfs; cached in build/linux/.
#
# Run from anywhere, as root (or with sudo available) on Debian 12:  tools/fetch-linux.sh
# Produces, in build/linux/:
#   vmlinuz                      zImage of the kernel that linux-image-armmp:armhf depends on
#   <board>.dtb                  the DTBs the boards name (platform/*/platform.mk LINUX_DTB), from that
#                                kernel package: vexpress-v2p-ca9.dtb, vexpress-v2p-ca15-tc1.dtb, ...
#   initramfs.cpio.gz            newc cpio: /bin/busybox, /init (tests/linux/init), /proc /sys /dev, /dev/console
#   versions.txt                 the packages and versions used
# virt has no DTB here: QEMU generates it, per CPU count and memory size (tools/virt-dtb.sh CPUS OUT.dtb).
# On boards with PSCI (board.h PLAT_HAS_PSCI), `make flash` (tools/mkflash.py) adds the /psci node.
# Caches: debs/ (downloaded .debs), root-kernel/ and root-busybox/ (dpkg-deb -x of them).
# Once everything exists and the initramfs is newer than tests/linux/init and tests/linux/mkcpio.py, a run does
# nothing. Editing tests/linux/init only rebuilds the initramfs, from the cached busybox, without apt.
# Delete build/linux/ (or `make clean`) to fetch afresh, e.g. to pick up a newer kernel.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

OUT=build/linux
DEBS=$OUT/debs
KROOT=$OUT/root-kernel
BROOT=$OUT/root-busybox
INIT=tests/linux/init
MKCPIO=tests/linux/mkcpio.py
# The device trees the boards boot Linux with (platform.mk LINUX_DTB, when it names a .dtb of the package).
mapfile -t DTBS < <(sed -n 's/^LINUX_DTB := \(.*\.dtb\)$/\1/p' platform/*/platform.mk | sort -u)
META=linux-image-armmp:armhf

say() { echo "fetch-linux: $*"; }
die() {
	echo "fetch-linux: error: $*" >&2
	exit 1
}
trap 'die "command failed (line $LINENO, exit $?): $BASH_COMMAND"' ERR

size() { stat -c %s "$1"; }

kernel_outputs_present() {
	local f
	for f in "$OUT/vmlinuz" "${DTBS[@]/#/$OUT/}"; do [[ -s $f ]] || return 1; done
}

initramfs_current() {
	[[ -s $OUT/initramfs.cpio.gz && $OUT/initramfs.cpio.gz -nt $INIT && $OUT/initramfs.cpio.gz -nt $MKCPIO ]]
}

[[ -f $INIT && -f $MKCPIO ]] || die "run from a muster checkout: $INIT or $MKCPIO is missing"

if kernel_outputs_present && initramfs_current; then
	say "up to date: $OUT/vmlinuz, ${DTBS[*]/#/$OUT/}, $OUT/initramfs.cpio.gz (nothing to do)"
	exit 0
fi

mkdir -p "$DEBS"

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null 2>&1 || die "not root and no sudo: dpkg --add-architecture and apt-get update need root"
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

# The cached .deb for a package name glob, if exactly one is there.
cached_deb() {
	local found=()
	shopt -s nullglob
	# shellcheck disable=SC2206 # $1 is a glob, meant to expand
	found=("$DEBS"/$1)
	shopt -u nullglob
	((${#found[@]} == 1)) && echo "${found[0]}"
}

# Candidate version of an armhf package, or nothing when apt cannot resolve it.
candidate() {
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { if ($2 != "(none)") print $2 }'
}

apt_ready=""
prepare_apt() {
	[[ -n $apt_ready ]] && return 0
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs Debian or Ubuntu"
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		say "adding dpkg architecture armhf (dpkg --add-architecture armhf)"
		$SUDO dpkg --add-architecture armhf
	fi
	say "apt-get update"
	local start=$SECONDS
	# One index may fail transiently; what matters is that the packages resolve, checked below.
	if ! $SUDO apt-get update -qq -o DPkg::Lock::Timeout=300; then
		say "apt-get update reported an error; checking that the packages resolve anyway"
	fi
	say "apt-get update took $((SECONDS - start)) s"
	[[ -n $(candidate "$META") ]] || die "apt cannot resolve $META after apt-get update (is armhf in the sources' architectures?)"
	[[ -n $(candidate busybox-static:armhf) ]] || die "apt cannot resolve busybox-static:armhf after apt-get update"
	apt_ready=1
}

# apt-get download into $DEBS, timed.
download() { # package...
	local start end
	say "downloading into $DEBS/: $*"
	start=$(date +%s.%N)
	# As root, apt would warn that its unprivileged _apt user cannot write into the checkout; download as root.
	local sandbox=()
	[[ $(id -u) -ne 0 ]] || sandbox=(-o APT::Sandbox::User=root)
	(cd "$DEBS" && apt-get download -q "${sandbox[@]}" "$@") || die "apt-get download $* failed"
	end=$(date +%s.%N)
	say "downloaded in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
}

# dpkg-deb -x a .deb into a fresh directory, unless it already holds that .deb's contents.
extract() { # deb dir
	if [[ -f $2/.from && $(cat "$2/.from") == "$(basename "$1")" ]]; then return 0; fi
	say "extracting $1 -> $2/"
	rm -rf "$2"
	mkdir -p "$2"
	if ! dpkg-deb -x "$1" "$2"; then
		rm -f "$1" # perhaps a truncated download: the next run fetches it again
		die "dpkg-deb -x $1 failed; removed that .deb, run again to download it afresh"
	fi
	basename "$1" >"$2/.from"
}

# Copy to a temporary name, then rename: an interrupted run never leaves a truncated output behind.
install_file() { # src dst
	cp "$1" "$2.tmp"
	mv -f "$2.tmp" "$2"
}

deb_field() { dpkg-deb -f "$1" "$2"; }

# --- kernel and DTBs -------------------------------------------------------------------------------------
kdeb=$(cached_deb 'linux-image-*-armmp_*_armhf.deb' || true)
if ! kernel_outputs_present; then
	if [[ -z $kdeb ]]; then
		prepare_apt
		kpkg=$(apt-cache depends "$META" 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-armmp(:armhf)?$/ { sub(/:armhf$/, "", $2); print $2; exit }')
		[[ -n $kpkg ]] || die "could not find the linux-image-<version>-armmp package that $META depends on"
		say "$META $(candidate "$META") depends on $kpkg $(candidate "$kpkg:armhf")"
		rm -f "$DEBS"/linux-image-*.deb
		download "$kpkg:armhf"
		kdeb=$(cached_deb "${kpkg}_*_armhf.deb") || die "apt-get download did not leave ${kpkg}_*_armhf.deb in $DEBS"
	else
		say "using cached $kdeb"
	fi
	extract "$kdeb" "$KROOT"

	shopt -s nullglob
	zimages=("$KROOT"/boot/vmlinuz-*)
	shopt -u nullglob
	((${#zimages[@]} == 1)) || die "expected one boot/vmlinuz-* in $kdeb, found ${#zimages[@]}"
	install_file "${zimages[0]}" "$OUT/vmlinuz"
	for dtb in "${DTBS[@]}"; do
		src=$(find "$KROOT"/usr/lib/linux-image-* -name "$dtb" -print -quit 2>/dev/null || true)
		[[ -n $src ]] || die "$dtb not found under usr/lib/linux-image-*/ in $kdeb"
		install_file "$src" "$OUT/$dtb"
	done
fi

# --- busybox and the initramfs ---------------------------------------------------------------------------
bdeb=$(cached_deb 'busybox-static_*_armhf.deb' || true)
if ! initramfs_current; then
	if [[ -z $bdeb ]]; then
		prepare_apt
		say "busybox-static:armhf $(candidate busybox-static:armhf)"
		download busybox-static:armhf
		bdeb=$(cached_deb 'busybox-static_*_armhf.deb') || die "apt-get download did not leave busybox-static_*_armhf.deb in $DEBS"
	else
		say "using cached $bdeb"
	fi
	extract "$bdeb" "$BROOT"
	busybox=""
	for candidate_path in "$BROOT/bin/busybox" "$BROOT/usr/bin/busybox"; do
		[[ -f $candidate_path ]] && busybox=$candidate_path && break
	done
	[[ -n $busybox ]] || die "no bin/busybox or usr/bin/busybox in $bdeb"
	# ELF, 32-bit, machine 40 (ARM): refuse to pack a busybox the board cannot run.
	[[ $(od -An -tx1 -N5 "$busybox" | tr -d ' \n') == 7f454c4601 && $(od -An -tu2 -j18 -N2 "$busybox" | tr -d ' ') == 40 ]] ||
		die "$busybox is not a 32-bit ARM ELF"

	command -v python3 >/dev/null 2>&1 || die "python3 is needed to write the cpio (tests/linux/mkcpio.py)"
	say "writing $OUT/initramfs.cpio.gz (newc cpio by $MKCPIO, Python stdlib; no cpio tool needed)"
	python3 "$MKCPIO" - "$OUT/initramfs.cpio.gz" <<-EOF || die "$MKCPIO failed"
		dir /bin 0755 0 0
		dir /dev 0755 0 0
		dir /proc 0555 0 0
		dir /sys 0555 0 0
		nod /dev/console 0600 0 0 c 5 1
		nod /dev/null 0666 0 0 c 1 3
		file /bin/busybox $busybox 0755 0 0
		file /init $INIT 0755 0 0
	EOF
fi

# --- record and report -----------------------------------------------------------------------------------
kdeb=${kdeb:-$(cached_deb 'linux-image-*-armmp_*_armhf.deb' || true)}
bdeb=${bdeb:-$(cached_deb 'busybox-static_*_armhf.deb' || true)}
{
	if [[ -n $kdeb ]]; then
		kpkg=$(deb_field "$kdeb" Package)
		echo "kernel $kpkg $(deb_field "$kdeb" Version) ${kpkg#linux-image-}"
	fi
	if [[ -n $bdeb ]]; then echo "busybox $(deb_field "$bdeb" Package) $(deb_field "$bdeb" Version)"; fi
} >"$OUT/versions.txt"

say "kernel: $(sed -n 's/^kernel //p' "$OUT/versions.txt")"
say "busybox: $(sed -n 's/^busybox //p' "$OUT/versions.txt")"
for f in "$OUT/vmlinuz" "${DTBS[@]/#/$OUT/}" "$OUT/initramfs.cpio.gz" "$OUT/versions.txt"; do
	printf 'fetch-linux: produced %-36s %9d bytes\n' "$f" "$(size "$f")"
done
