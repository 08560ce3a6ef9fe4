#!/usr/bin/env bash
# Instructions per operation for the downcall paths, counted by callgrind: repeatable
# where wall time on a shared machine is not. See BENCHMARKS.md.
#
#   scripts/callgrind-downcall.sh            # N=100000 calls, COMPILE_N=300 compiles
#   N=20000 COMPILE_N=100 scripts/callgrind-downcall.sh
#
# Each measurement runs the bench binary in its callgrind mode
# (SPRINGBOARD_CALLGRIND=<case>:<variant>), collecting only inside `callgrind_loop`,
# so setup (building the C library, compiling trampolines, libffi's prep_cif) is not
# counted. "loop" is the empty loop: subtract it for the operation alone ("net").
# Kernel work (mmap/mprotect/mremap when installing code) is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
COMPILE_N=${COMPILE_N:-300}
CASES=(add sum6 mixed12)

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench downcall --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the downcall bench executable" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# instructions <case> <variant> <iterations>: total Ir collected inside the loop.
instructions() {
    SPRINGBOARD_CALLGRIND="$1:$2" SPRINGBOARD_CALLGRIND_N="$3" \
        valgrind --tool=callgrind --toggle-collect='*callgrind_loop*' \
        --callgrind-out-file="$work/out" "$bin" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    local total
    total=$(sed -n 's/^summary: //p' "$work/out")
    [ -n "$total" ] || { echo "no summary for $1:$2" >&2; exit 1; }
    echo "$total"
}

per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f", t / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }

loop=$(per "$(instructions add empty "$N")" "$N")
echo "## Instructions per call (callgrind, N=$N, empty loop = $loop Ir, subtracted in \"net\")"
echo
echo "| function | direct | raw | raw (backtracking) | checked | libffi | raw / direct (net) | libffi / raw (net) |"
echo "|---|---|---|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    declare -A ir=()
    for variant in direct raw raw_backtracking checked libffi; do
        ir[$variant]=$(per "$(instructions "$case" "$variant" "$N")" "$N")
    done
    net() { awk -v a="${ir[$1]}" -v l="$loop" 'BEGIN { print a - l }'; }
    cell() { echo "${ir[$1]} (net $(net "$1"))"; }
    echo "| \`$case\` | $(cell direct) | $(cell raw) | $(cell raw_backtracking) | $(cell checked) | $(cell libffi) | $(ratio "$(net raw)" "$(net direct)") | $(ratio "$(net libffi)" "$(net raw)") |"
done

echo
echo "## Instructions per compile and per cache hit (callgrind, user space only)"
echo
echo "| function | new signature, single_pass | new signature, backtracking | backtracking / single_pass | cache hit |"
echo "|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    single=$(per "$(instructions "$case" compile_single_pass "$COMPILE_N")" "$COMPILE_N")
    backtracking=$(per "$(instructions "$case" compile_backtracking "$COMPILE_N")" "$COMPILE_N")
    hit=$(per "$(instructions "$case" cache_hit "$N")" "$N")
    echo "| \`$case\` | $single | $backtracking | $(ratio "$backtracking" "$single") | $hit |"
done
