#!/usr/bin/env bash
# Instructions per callback call (and per callback created, below), counted by callgrind inside the C loops only
# (`fold_binary` for (i32, i32) -> i32, `fold_compare` for the (ptr, ptr) -> i32
# comparator): N calls through each variant, the collected total divided by N (the C
# loop's own instructions included: about 8 for fold_binary, 19 for fold_compare with
# the C comparator).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bench=$(cargo bench --bench callback --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bench" ] || { echo "could not find the callback bench executable" >&2; exit 1; }
n=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() {
    SPRINGBOARD_CALLGRIND="$1:$n" valgrind --tool=callgrind --toggle-collect='fold_*' \
        --callgrind-out-file="$work/out" "$bench" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    awk -v n="$n" '/^summary:/ { printf "%.1f", $2 / n }' "$work/out"
}
printf '| variant | (i32, i32) -> i32 | (ptr, ptr) -> i32 |\n|---|---|---|\n'
for variant in c_function springboard_raw springboard_bound springboard_raw_backtracking \
    springboard_bound_backtracking springboard_closure springboard_typed libffi_closure; do
    printf '| %s | %s | %s |\n' "$variant" "$(count "$variant")" "$(count "compare_$variant")"
done
# Instructions per callback created (and freed), counted inside `callgrind_loop` only:
# N creations after N for warm-up, the total divided by N.
count_creation() {
    SPRINGBOARD_CALLGRIND="create:$1:$n" valgrind --tool=callgrind \
        --toggle-collect='*callgrind_loop*' --callgrind-out-file="$work/out" "$bench" \
        >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
    awk -v n="$n" '/^summary:/ { printf "%.1f", $2 / n }' "$work/out"
}
printf '\n| creation variant | instructions per callback |\n|---|---|\n'
for variant in libffi_closure engine.callback_raw factory.create \
    'bound factory.create_bound' 'engine.callback (`Value` closure)' engine.typed_callback \
    'libffi_closure, 1000 kept' 'factory.create, 1000 kept'; do
    printf '| %s | %s |\n' "$variant" "$(count_creation "$variant")"
done
