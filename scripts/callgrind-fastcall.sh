#!/usr/bin/env bash
# Instructions per operation for fast calls (springboard against hand-rolled x86-64
# trampolines), counted by callgrind: repeatable where wall time on a shared machine
# is not. See BENCHMARKS.md, "Fast calls".
#
#   scripts/callgrind-fastcall.sh            # N=100000 calls, COMPILE_N=300, BATCH_N=30
#   N=20000 COMPILE_N=100 BATCH_N=10 scripts/callgrind-fastcall.sh
#
# Each measurement runs the fastcall bench binary in its callgrind mode
# (SPRINGBOARD_CALLGRIND=<case>:<variant>), collecting only inside `callgrind_loop`,
# so setup (building the C library, compiling the measured trampolines, creating
# engines) is not counted. "loop" is the empty loop: subtract it for the call alone
# ("net"). Kernel work (mmap/mprotect/mremap/munmap when installing code) is not
# counted: in user space an install is cheap, in wall time it is not.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
COMPILE_N=${COMPILE_N:-300}
BATCH_N=${BATCH_N:-30}
CASES=(noop add6 mix6)

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench fastcall --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the fastcall bench executable" >&2; exit 1; }

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
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }'; }
verdict() { awk -v d="$1" 'BEGIN { print (d <= 5 ? "met" : "**not met**") }'; }

loop=$(per "$(instructions noop empty "$N")" "$N")
echo "## Instructions per call (callgrind, N=$N, empty loop = $loop Ir, subtracted in \"net\")"
echo
echo "| function | direct | hand-rolled fast call | springboard single_pass | springboard backtracking | single_pass − hand-rolled | backtracking − hand-rolled | hand-rolled downcall | springboard downcall |"
echo "|---|---|---|---|---|---|---|---|---|"
targets=()
for case in "${CASES[@]}"; do
    declare -A ir=()
    for variant in direct hand_fast springboard_single_pass springboard_backtracking \
        hand_downcall springboard_downcall; do
        ir[$variant]=$(per "$(instructions "$case" "$variant" "$N")" "$N")
    done
    net() { awk -v a="${ir[$1]}" -v l="$loop" 'BEGIN { print a - l }'; }
    cell() { echo "${ir[$1]} (net $(net "$1"))"; }
    single=$(minus "$(net springboard_single_pass)" "$(net hand_fast)")
    back=$(minus "$(net springboard_backtracking)" "$(net hand_fast)")
    echo "| \`$case\` | $(cell direct) | $(cell hand_fast) | $(cell springboard_single_pass) | $(cell springboard_backtracking) | $single | $back | $(cell hand_downcall) | $(cell springboard_downcall) |"
    targets+=("| ≤ hand-rolled + 5 instructions per call (\`$case\`, single_pass) | $single | $(verdict "$single") |")
    targets+=("| ≤ hand-rolled + 5 instructions per call (\`$case\`, backtracking) | $back | $(verdict "$back") |")
done

echo
echo "## Instructions per compiled symbol (callgrind, user space only, COMPILE_N=$COMPILE_N)"
echo
echo "| function | hand-rolled (emit + install) | hand-rolled emit only | springboard \`fast_call\` single_pass | springboard \`fast_call\` backtracking | single_pass / hand-rolled |"
echo "|---|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    hand=$(per "$(instructions "$case" compile_hand "$COMPILE_N")" "$COMPILE_N")
    emit=$(per "$(instructions "$case" compile_hand_emit "$COMPILE_N")" "$COMPILE_N")
    single=$(per "$(instructions "$case" compile_single_pass "$COMPILE_N")" "$COMPILE_N")
    back=$(per "$(instructions "$case" compile_backtracking "$COMPILE_N")" "$COMPILE_N")
    echo "| \`$case\` | $hand | $emit | $single | $back | $(ratio "$single" "$hand") |"
done

echo
echo "## Instructions for the 25-symbol library (callgrind, user space only, BATCH_N=$BATCH_N)"
echo
echo "| mode | per library | per symbol |"
echo "|---|---|---|"
for variant in hand springboard_single_pass springboard_backtracking; do
    total=$(per "$(instructions library "$variant" "$BATCH_N")" "$BATCH_N")
    echo "| $variant | $total | $(per "$total" 25) |"
done

echo
echo "## Instruction targets"
echo
echo "| target | springboard − hand-rolled (net instructions per call) | met? |"
echo "|---|---|---|"
printf '%s\n' "${targets[@]}"
