#!/usr/bin/env bash
# The first ffi_call of never-seen cifs (benches/c/first_call.c): the system libffi,
# then the drop-in (release build) in front of it through LD_PRELOAD. See BENCHMARKS.md
# ("Binding new signatures").
#
#   scripts/bench-first-call.sh [COUNT]     # COUNT never-seen cifs (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
cargo build --release -q -p springboard-libffi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O1 -Wall -o "$work/first_call" benches/c/first_call.c -lffi
echo "system libffi: $("$work/first_call" "$count")"
echo "drop-in:       $(LD_PRELOAD="$PWD/target/release/libffi-dropin/libffi.so.8" "$work/first_call" "$count")"
