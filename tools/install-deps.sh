#!/usr/bin/env bash
# Installs everything muster's build, run and tests need on Debian/Ubuntu, only when it is missing.
set -euo pipefail

# command-or-file to probe : Debian package that provides it
NEEDS=(
  "arm-none-eabi-gcc:gcc-arm-none-eabi"
  "/usr/lib/arm-none-eabi/newlib/libc_nano.a:libnewlib-arm-none-eabi"
  "qemu-system-arm:qemu-system-arm"
  "/usr/include/cmocka.h:libcmocka-dev"
  "spin:spin"
  "mkimage:u-boot-tools"
  "dtc:device-tree-compiler"
  "fdtput:device-tree-compiler"
  "/usr/lib/python3/dist-packages/pexpect/__init__.py:python3-pexpect"
  "/usr/lib/python3/dist-packages/pytest/__init__.py:python3-pytest"
  "clang:clang"
  "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev"
  "cppcheck:cppcheck"
  "clang-tidy:clang-tidy"
)

missing=()
for need in "${NEEDS[@]}"; do
  probe=${need%%:*}; pkg=${need#*:}
  if [[ $probe == /* ]]; then [[ -e $probe ]] && continue
  else command -v "$probe" >/dev/null 2>&1 && continue; fi
  [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing missing packages: ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
# A transient failure of one index must not stop the install; the install itself is checked.
$SUDO apt-get update -qq || echo "install-deps: apt-get update reported an error; trying the install anyway" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
echo "install-deps: done" >&2
