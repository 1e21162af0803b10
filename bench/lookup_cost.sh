#!/usr/bin/env bash
# Per-lookup cost of smapi and the floor under valgrind's cachegrind: instructions, data reads and
# simulated cache misses per lookup, charged to the one function that does the lookups
# (bench/lookup_cost.cc). Deterministic, so fit for a shared machine where timings are noise.
# Prints cachegrind's cache model (the host's I1, D1 and LL caches, as cachegrind read them).
#
#   bench/lookup_cost.sh [BUILD_DIR]   (default build/bench; the `bench` preset builds it)
#   LOOKUPS=N                          lookups per run (default 4000000)
#   CACHEGRIND_ARGS="--LL=33554432,16,64"  another cache model (here a 32 MiB, 16-way LL)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/bench}
driver=$build/bench/smapi_lookup_cost
lookups=${LOOKUPS:-4000000}
[ -x "$driver" ] || { echo "no $driver: cmake --preset bench && cmake --build --preset bench" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

printf '%-12s %9s %8s %8s %8s %8s\n' impl sessions Ir/look Dr/look D1mr/look LLmr/look
for sessions in 1024 1048576; do
  for impl in smapi floor_array; do
    file=$out/$impl.$sessions
    # shellcheck disable=SC2086  # CACHEGRIND_ARGS is a list of options.
    valgrind --tool=cachegrind --cache-sim=yes ${CACHEGRIND_ARGS:-} --cachegrind-out-file="$file" \
      "$driver" "$impl" "$sessions" "$lookups" >"$file.stdout" 2>"$file.log"
    # The ResolveHits line: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw, with thousands separators.
    cg_annotate "$file" | grep 'ResolveHits<' | head -1 | sed -E 's/\( *[0-9.]+%\)//g' | tr -d ',' |
      awk -v impl="$impl" -v n="$sessions" -v k="$lookups" \
        '{printf "%-12s %9d %8.2f %8.2f %8.3f %8.3f\n", impl, n, $1/k, $4/k, $5/k, $6/k}'
  done
done
echo
echo "cachegrind's cache model (from the last run; by default it reads the host's caches):"
cg_annotate "$file" | sed -n 's/^\(I1\|D1\|LL\) cache: */  \1: /p'
grep -i 'warning' "$file.log" | sed 's/^--[0-9]*-- /  /' || true
