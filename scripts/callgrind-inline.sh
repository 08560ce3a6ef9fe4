#!/usr/bin/env bash
# Instructions per call for inline C calls (springboard::module::call_c in a JITModule)
# against the direct call from Rust and a springboard raw downcall, counted by
# callgrind. See BENCHMARKS.md.
#
#   scripts/callgrind-inline.sh            # N=100000 calls
#
# Each measurement runs the bench binary in its callgrind mode
# (SPRINGBOARD_CALLGRIND=<case>:<variant>), collecting only inside `callgrind_loop`.
# "net" subtracts each loop's own cost: the Rust loop without the call for direct and
# raw, the same JIT loop without the call for inline.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
CASES=(add sum6)

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench inline --no-run 2>&1 |
    sed -n 's/^ *Executable .*(\(.*\))$/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the inline bench executable" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# instructions <case> <variant>: Ir per call collected inside the loop.
instructions() {
    SPRINGBOARD_CALLGRIND="$1:$2" SPRINGBOARD_CALLGRIND_N="$N" \
        valgrind --tool=callgrind --toggle-collect='*callgrind_loop*' \
        --callgrind-out-file="$work/out" "$bin" >"$work/log" 2>&1 ||
        { cat "$work/log" >&2; exit 1; }
    local total
    total=$(sed -n 's/^summary: //p' "$work/out")
    [ -n "$total" ] || { echo "no summary for $1:$2" >&2; exit 1; }
    awk -v t="$total" -v n="$N" 'BEGIN { printf "%.1f", t / n }'
}

minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }

echo "## Instructions per call (callgrind, N=$N; net = minus the loop without the call)"
echo
echo "| callee | direct (Rust) | inline (JIT) | raw downcall | inline − direct (net) |"
echo "|---|---|---|---|---|"
for case in "${CASES[@]}"; do
    direct=$(instructions "$case" direct)
    rust_loop=$(instructions "$case" direct_empty)
    inline=$(instructions "$case" inline)
    jit_loop=$(instructions "$case" inline_empty)
    raw=$(instructions "$case" raw)
    d=$(minus "$direct" "$rust_loop"); i=$(minus "$inline" "$jit_loop"); r=$(minus "$raw" "$rust_loop")
    echo "| \`$case\` | $direct (net $d) | $inline (net $i) | $raw (net $r) | $(minus "$i" "$d") |"
done
