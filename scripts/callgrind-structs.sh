#!/usr/bin/env bash
# Instructions per call of the struct-by-value paths (`({f64, f64}) -> {f64, f64}`),
# counted by callgrind inside `callgrind_loop` only (setup not counted); "net"
# subtracts the empty loop. See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench structs --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the structs bench executable" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
instructions() {
    SPRINGBOARD_CALLGRIND="$1" SPRINGBOARD_CALLGRIND_N="$N" \
        valgrind --tool=callgrind --toggle-collect='*callgrind_loop*' \
        --callgrind-out-file="$work/out" "$bin" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    awk -v n="$N" '/^summary:/ { printf "%.1f", $2 / n }' "$work/out"
}
loop=$(instructions empty)
echo "| variant | instructions per call | net (empty loop $loop subtracted) |"
echo "|---|---|---|"
for variant in direct raw typed checked checked_into libffi; do
    per=$(instructions "$variant")
    echo "| $variant | $per | $(awk -v a="$per" -v l="$loop" 'BEGIN { print a - l }') |"
done
