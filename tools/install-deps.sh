#!/usr/bin/env bash
# Installs everything muster's build, run and tests need on Debian/Ubuntu, only when it is missing.
set -euo pipefail

# command-or-file to probe : Debian package that provides it
NEEDS=(
  "gcc:gcc"                        # the host compiler: cmocka tests, ThreadSanitizer stress, spin's pan
  "make:make"
  "/usr/include/stdio.h:libc6-dev" # minimal images have gcc's libraries but not libc's headers
  "/usr/bin/python3:python3"
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

# clang's libFuzzer runtime (make fuzz), looked for where the installed clang itself looks for it
# (lib/linux/libclang_rt.fuzzer-<arch>.a, or lib/<triple>/libclang_rt.fuzzer.a in newer layouts);
# -print-file-name prints the bare name when it finds nothing.
fuzzer_rt_present() {
  command -v clang >/dev/null 2>&1 || return 1
  local f
  for f in "libclang_rt.fuzzer-$(uname -m).a" libclang_rt.fuzzer.a; do
    f=$(clang -print-file-name="$f" 2>/dev/null) && [[ $f == /* && -e $f ]] && return 0
  done
  return 1
}
rt_pending=false
if ! fuzzer_rt_present; then
  if command -v clang >/dev/null 2>&1; then # the runtime package of this clang's major version
    major=$(clang --version | sed -nE 's/.*clang version ([0-9]+)\..*/\1/p' | head -n 1)
    missing+=("libclang-rt-${major:?install-deps: cannot read clang --version}-dev")
  else # clang comes in this install: the release's version-less package matches it (after the update)
    rt_pending=true
  fi
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
# A transient failure of one index must not stop the install; the install itself is checked.
$SUDO apt-get update -qq || echo "install-deps: apt-get update reported an error; trying the install anyway" >&2
# Releases without libclang-rt-dev ship the runtime in a package clang already depends on.
if $rt_pending && [[ -n $(apt-cache show libclang-rt-dev 2>/dev/null) ]]; then missing+=(libclang-rt-dev); fi
echo "install-deps: installing missing packages: ${missing[*]}" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fuzzer_rt_present || echo "install-deps: warning: clang's libFuzzer runtime is still missing (make fuzz will fail)" >&2
echo "install-deps: done" >&2
