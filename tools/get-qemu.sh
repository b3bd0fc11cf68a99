#!/usr/bin/env bash
# Prints the path of a qemu-system-arm >= QEMU_MIN_MAJOR (10), fetching Debian's backport when needed.
#
# QEMU 10 enforces what silicon enforces and QEMU 7.2 let pass (an unaligned access to MMU-off
# Device memory faults), so the QEMU suites and `make run` use it by default:
#   - the system's qemu-system-arm when it is new enough (Debian 13 and later);
#   - else, on Debian, qemu-system-arm from <release>-backports, downloaded with apt through a
#     private sources list built from the mirror the system's own apt sources name, and unpacked
#     (dpkg -x) into build/qemu/ beside a wrapper script; the system's apt sources and its QEMU are
#     left alone. Libraries it needs that the system lacks are installed from the system's release;
#   - else the system's QEMU, with a warning on stderr.
# `tools/get-qemu.sh --system` prints the system's qemu-system-arm instead (the smoke run).
# Messages go to stderr; stdout is only the path.
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_MAJOR=${QEMU_MIN_MAJOR:-10}
DEST=$PWD/build/qemu
WRAPPER=$DEST/qemu-system-arm
# The QEMU packages for an Arm system emulator; the module packages stop QEMU from falling back
# to the system's (older) modules, which it refuses noisily.
PKGS=(qemu-system-arm qemu-system-common qemu-system-data qemu-system-modules-opengl
	qemu-system-modules-spice)

say() { echo "get-qemu: $*" >&2; }

major_of() { # qemu binary -> major version, or 0
	"$1" --version 2>/dev/null | sed -nE '1s/.*version ([0-9]+)\..*/\1/p' | grep . || echo 0
}

system_qemu=$(command -v qemu-system-arm || true)
if [[ ${1:-} == --system ]]; then
	[[ -n $system_qemu ]] || { say "no qemu-system-arm on PATH (tools/install-deps.sh installs it)"; exit 1; }
	echo "$system_qemu"
	exit 0
fi
if [[ -n $system_qemu ]] && (($(major_of "$system_qemu") >= MIN_MAJOR)); then
	echo "$system_qemu"
	exit 0
fi
if [[ -x $WRAPPER ]] && (($(major_of "$WRAPPER") >= MIN_MAJOR)); then
	echo "$WRAPPER"
	exit 0
fi

fallback() {
	say "$1; using the system's QEMU ($system_qemu, $("$system_qemu" --version 2>/dev/null | head -n 1))"
	say "the QEMU suites are meant for QEMU >= $MIN_MAJOR: set QEMU=/path/to/qemu-system-arm to choose one"
	echo "$system_qemu"
	exit 0
}

# shellcheck disable=SC1091
. /etc/os-release
[[ ${ID:-} == debian && -n ${VERSION_CODENAME:-} ]] || fallback "not Debian: no backport to fetch"
# The archive's mirror, as the system's own apt sources name it (deb822 or one-line format).
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [[ -z $mirror ]]; then
	mirror=$(awk '$1 == "deb" && $2 !~ /security/ && $2 ~ /^(https?|file):/ {print $2; exit}' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
fi
[[ -n $mirror ]] || fallback "no Debian mirror in the system's apt sources"

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
flock 9 # one fetch at a time (parallel makes)
if [[ -x $WRAPPER ]] && (($(major_of "$WRAPPER") >= MIN_MAJOR)); then
	echo "$WRAPPER"
	exit 0
fi

suite=$VERSION_CODENAME-backports
say "fetching QEMU from $suite into build/qemu/ (${PKGS[*]}); the system's apt sources and QEMU stay as they are"
apt_dir=$DEST/apt
rm -rf "$apt_dir" "$DEST/root" "$DEST/debs"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$DEST/debs"
echo "deb $mirror $suite main" >"$apt_dir/sources.list"
APT=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
	-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root")
apt-get "${APT[@]}" -qq update >&2 || fallback "apt-get update of $suite failed"
version=$(apt-cache "${APT[@]}" show "qemu-system-arm/$suite" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
[[ -n $version ]] || fallback "$suite has no qemu-system-arm"
(cd "$DEST/debs" && apt-get "${APT[@]}" -qq download "${PKGS[@]/%//$suite}") >&2 ||
	fallback "downloading QEMU $version from $suite failed"
for deb in "$DEST"/debs/*.deb; do dpkg -x "$deb" "$DEST/root"; done

# Shared libraries the backport links that the system lacks: its Depends, from the system's release.
missing=()
for dep in $(apt-cache "${APT[@]}" show "qemu-system-arm/$suite" "qemu-system-modules-opengl/$suite" \
	"qemu-system-modules-spice/$suite" | sed -n 's/^Depends: //p' | tr ',' '\n' |
	sed -E 's/\(.*\)//; s/\|.*//; s/ //g' | grep -v '^qemu-' | sort -u); do
	dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'ok installed' || missing+=("$dep")
done
if ((${#missing[@]})); then
	say "installing libraries QEMU $version needs: ${missing[*]}"
	SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

moddir=$(echo "$DEST"/root/usr/lib/*/qemu)
cat >"$WRAPPER" <<EOF
#!/bin/sh
# qemu-system-arm $version from $suite, unpacked by tools/get-qemu.sh (not installed system-wide).
QEMU_MODULE_DIR='$moddir' exec '$DEST/root/usr/bin/qemu-system-arm' -L '$DEST/root/usr/share/qemu' "\$@"
EOF
chmod +x "$WRAPPER"
rm -rf "$DEST/debs" "$apt_dir"
(($(major_of "$WRAPPER") >= MIN_MAJOR)) || fallback "the unpacked QEMU $version does not run: $("$WRAPPER" --version 2>&1 | head -n 3)"
say "using $("$WRAPPER" --version | head -n 1)"
echo "$WRAPPER"
