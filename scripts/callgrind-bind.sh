#!/usr/bin/env bash
# Instructions per bind, per new signature and per call through the generic caller,
# counted by callgrind (user space only: the kernel's mmap/mprotect/mremap of an
# install are not counted). See BENCHMARKS.md ("Binding new signatures").
#
#   scripts/callgrind-bind.sh              # SETS_N=3 binds of each set, NEW_N=300, CALL_N=100000
set -euo pipefail
cd "$(dirname "$0")/.."

SETS_N=${SETS_N:-3}
NEW_N=${NEW_N:-300}
CALL_N=${CALL_N:-100000}

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench bind --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the bind bench executable" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# per <name> <variant> <iterations>: instructions collected inside the loop, per iteration.
per() {
    SPRINGBOARD_CALLGRIND="$1:$2" SPRINGBOARD_CALLGRIND_N="$3" \
        valgrind --tool=callgrind --toggle-collect='*callgrind_loop*' \
        --callgrind-out-file="$work/out" "$bin" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    awk -v n="$3" '/^summary:/ { printf "%.0f", $2 / n }' "$work/out"
}

# Batches on every core are left out: callgrind counts only the thread that runs
# callgrind_loop, not the helpers.
echo "## Instructions per bind of a whole set (callgrind, $SETS_N binds)"
echo
echo "| set | one by one | batch, 1 thread | lazy | libffi prep |"
echo "|---|---|---|---|---|"
for set in sqlite random1000; do
    row="| $set"
    for variant in one_by_one batch_1_thread lazy libffi; do
        row="$row | $(per "$set" "$variant" "$SETS_N")"
    done
    echo "$row |"
done

echo
echo "## Instructions per new signature ($NEW_N) and per call ($CALL_N, loop included)"
echo
echo "| signature | eager | lazy | lazy, libffi's layout | libffi prep | call: compiled | call: generic | call: generic, libffi's layout | call: libffi |"
echo "|---|---|---|---|---|---|---|---|---|"
for case in add sum6 mixed12; do
    row="| \`$case\`"
    for variant in new_eager new_lazy new_lazy_pointers new_libffi; do
        row="$row | $(per "$case" "$variant" "$NEW_N")"
    done
    for variant in call_compiled call_generic call_generic_pointers call_libffi; do
        row="$row | $(per "$case" "$variant" "$CALL_N")"
    done
    echo "$row |"
done
