#!/usr/bin/env bash
# Installs the system packages springboard's tests need, when they are missing.
# Debian/Ubuntu only; runs apt-get non-interactively (as root, or through sudo).
set -euo pipefail

# Package -> a file that proves it is installed.
declare -A needed=(
  [gcc]=/usr/bin/gcc                                      # C fixtures (through the cc crate)
  [libffi-dev]=/usr/include/x86_64-linux-gnu/ffi.h        # libffi oracle and baseline
  [libsqlite3-0]=/usr/lib/x86_64-linux-gnu/libsqlite3.so.0 # sqlite3_exec row callbacks
  [libsqlite3-dev]=/usr/include/sqlite3.h                # benches/bind.rs binds every function it declares
  [qemu-user]=/usr/bin/qemu-aarch64                       # runs the aarch64 and riscv64 tests
  [gcc-aarch64-linux-gnu]=/usr/bin/aarch64-linux-gnu-gcc  # builds the aarch64 harness
  [libc6-dev-arm64-cross]=/usr/aarch64-linux-gnu/lib/libc.a
  [g++-aarch64-linux-gnu]=/usr/bin/aarch64-linux-gnu-g++  # C++ throws through emitted aarch64 objects
  [gcc-riscv64-linux-gnu]=/usr/bin/riscv64-linux-gnu-gcc  # builds the riscv64 harness
  [libc6-dev-riscv64-cross]=/usr/riscv64-linux-gnu/lib/libc.a
  [g++-riscv64-linux-gnu]=/usr/bin/riscv64-linux-gnu-g++  # C++ throws through emitted riscv64 objects
  [g++]=/usr/bin/g++                                      # C++ callers and callees of tests/unwind.rs
  [gdb]=/usr/bin/gdb                                      # tests/unwind.rs: bt through trampolines
  [binutils]=/usr/bin/strip                               # tests/unwind.rs: gdb on a stripped binary
  [linux-perf]=/usr/bin/perf                              # tests/perf_map.rs: perf inject --jit reads the jitdump
  [python3]=/usr/bin/python3                              # the drop-in libffi: suite driver, ctypes test
)

missing=()
for package in "${!needed[@]}"; do
  if [ ! -e "${needed[$package]}" ] && ! dpkg -s "$package" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
