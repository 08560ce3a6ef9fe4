#!/usr/bin/env bash
# Instructions per callback call, counted by callgrind: C code calls an (i32, i32) -> i32
# function N and 2N times through each variant; the difference divided by N is the cost
# of one call (the C loop included, about 4 instructions).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench callback --no-run 2>/dev/null
bench=$(ls -t target/release/deps/callback-* | grep -v '\.d$' | head -1)
n=100000
count() {
  SPRINGBOARD_CALLGRIND="$1:$2" valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null "$bench" 2>&1 | awk '/Collected/ {gsub(",", "", $4); print $4}'
}
printf '| variant | instructions per call |\n|---|---|\n'
for variant in c_function springboard_raw springboard_closure libffi_closure; do
  one=$(count "$variant" "$n"); two=$(count "$variant" $((2 * n)))
  printf '| %s | %d |\n' "$variant" $(((two - one) / n))
done
