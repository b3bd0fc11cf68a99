#!/usr/bin/env bash
# Fetches Debian's armhf Xen hypervisor with apt into build/xen/ (cached), beside Debian's Linux for dom0.
#
# Run from anywhere, as root (or with sudo) on Debian:  tools/fetch-xen.sh
# Produces build/xen/xen (the hypervisor image from xen-hypervisor-<version>-armhf, a zImage-format
# image started with the Linux boot protocol) and build/xen/version.txt. dom0's kernel and initramfs
# are tools/fetch-linux.sh's (build/linux/), which this runs first: it also adds the armhf architecture.
# The newest xen-hypervisor-<version>-armhf the release has is used (4.17 on Debian 12). Exit status 3:
# the release has none (Debian 13 ships no 32-bit Arm Xen); the Xen tests then skip, saying so.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

OUT=build/xen
say() { echo "fetch-xen: $*"; }
die() {
	echo "fetch-xen: error: $*" >&2
	exit 1
}

bash tools/fetch-linux.sh >/dev/null || die "tools/fetch-linux.sh failed (dom0's kernel and initramfs)"
if [[ -s $OUT/xen && -s $OUT/version.txt ]]; then
	say "up to date: $OUT/xen ($(cat "$OUT/version.txt"))"
	exit 0
fi

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
newest() { apt-cache search --names-only '^xen-hypervisor-[0-9.]+-armhf$' 2>/dev/null | awk '{print $1}' | sort -V | tail -n 1; }
pkg=$(newest)
if [[ -z $pkg ]]; then
	say "apt-get update (no xen-hypervisor-*-armhf known yet)"
	$SUDO apt-get update -qq || say "apt-get update reported an error; checking that Xen resolves anyway"
	pkg=$(newest)
fi
if [[ -z $pkg ]]; then
	# Not an error of ours: the release ships no 32-bit Arm Xen (Debian 13 has none). Exit 3 says so.
	echo "fetch-xen: this release has no xen-hypervisor-<version>-armhf package (Debian 12 has 4.17)" >&2
	exit 3
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say "downloading $pkg:armhf"
sandbox=()
[[ $(id -u) -ne 0 ]] || sandbox=(-o APT::Sandbox::User=root)
(cd "$tmp" && apt-get download -q "${sandbox[@]}" "$pkg:armhf") >/dev/null || die "apt-get download $pkg:armhf failed"
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
shopt -s nullglob
images=("$tmp"/root/boot/xen-*-armhf)
shopt -u nullglob
((${#images[@]} == 1)) || die "expected one boot/xen-*-armhf in $pkg, found ${#images[@]}"
mkdir -p "$OUT"
cp "${images[0]}" "$OUT/xen.tmp"
mv -f "$OUT/xen.tmp" "$OUT/xen"
echo "$pkg $(dpkg-deb -f "$tmp"/*.deb Version)" >"$OUT/version.txt"
say "produced $OUT/xen ($(stat -c %s "$OUT/xen") bytes, $(cat "$OUT/version.txt"))"
