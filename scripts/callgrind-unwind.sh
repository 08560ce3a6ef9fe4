#!/usr/bin/env bash
# Instructions per operation with unwind registration on and off, counted by callgrind
# (repeatable where wall time on a shared machine is not). See BENCHMARKS.md.
#
#   scripts/callgrind-unwind.sh          # N=200 operations (and 2N, subtracted)
#
# Each count runs the unwind bench in its callgrind mode, collecting only inside
# `callgrind_loop`; the figure is (Ir(2N) - Ir(N)) / N, so one-time costs (the first
# chunk, the first page) cancel out. Kernel work (mmap, mprotect, mremap) and the
# futex of a contended lock are not counted; an uncontended lock is.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench unwind --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the unwind bench executable" >&2; exit 1; }
N=${N:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

instructions() {
    SPRINGBOARD_CALLGRIND="$1:$2" valgrind --tool=callgrind \
        --toggle-collect='*callgrind_loop*' --callgrind-out-file="$work/out" "$bin" \
        >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
    sed -n 's/^summary: //p' "$work/out"
}

per() {
    local one two
    one=$(instructions "$1" "$N")
    two=$(instructions "$1" $((2 * N)))
    awk -v a="$one" -v b="$two" -v n="$N" 'BEGIN { printf "%.0f", (b - a) / n }'
}

printf '| operation | on (Ir) | off (Ir) | on − off |\n|---|---|---|---|\n'
for op in compile compile_batch16 callback callback_64_held; do
    on=$(per "${op}_on")
    off=$(per "${op}_off")
    printf '| %s | %s | %s | %s |\n' "$op" "$on" "$off" $((on - off))
done
