#!/usr/bin/env bash
# Instructions per operation of the libffi layer, the drop-in against the system
# libffi (benches/libffi_layer.rs in libffi-compat), counted by callgrind inside
# `callgrind_loop` only (loading, preparing and checking are not counted). See
# BENCHMARKS.md. `--smc-check=all`: a closure re-prepared through its writable alias
# changes code valgrind translated from the executable alias.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-20000}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench -p springboard-libffi --bench libffi_layer --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the libffi_layer bench executable" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
instructions() {
    SPRINGBOARD_CALLGRIND="$1" SPRINGBOARD_CALLGRIND_N="$N" \
        valgrind --tool=callgrind --smc-check=all --toggle-collect='*callgrind_loop*' \
        --callgrind-out-file="$work/out" "$bin" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    awk -v n="$N" '/^summary:/ { printf "%.1f", $2 / n }' "$work/out"
}
echo "| operation | signature | springboard | libffi |"
echo "|---|---|---|---|"
for operation in ${OPERATIONS:-prep_cif ffi_call closure_call closure_create_free closure_reprep}; do
    for case in ${CASES:-add sum6 mixed12 pair}; do
        echo "| $operation | $case | $(instructions "$case:$operation/springboard") | $(instructions "$case:$operation/libffi") |"
    done
done
