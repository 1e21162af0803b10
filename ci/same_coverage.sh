#!/usr/bin/env bash
# Does an input give a fuzz target the same coverage whatever ran before it? For every input in a
# folder, compares libFuzzer's features and covered PCs of the input run alone in two fresh
# processes, and of the input run after a one-byte input (0x00) and after a warm-up input in one
# process. libFuzzer's merge control file lists, for each input, only what is new in its process,
# so the last two must agree on everything that neither predecessor covers on its own. A target
# that carries hidden state from one input to the next, or draws randomness not from its input,
# shows differences; code that only the first input in a process reaches (one-time set-up) does
# not.
#
#   ci/same_coverage.sh TARGET INPUTS WARMUP     e.g.
#   ci/same_coverage.sh mapi_abi_fuzzer corpus/mapi_abi_fuzzer corpus/mapi_abi_fuzzer/shared-join-and-leave
#   FUZZ_BUILD_DIR  build folder of the fuzz preset (default build/fuzz)
set -euo pipefail
if [ $# -ne 3 ]; then
  sed -n '2,13p' "$0"
  exit 2
fi
target=$1
inputs=$(realpath "$2")
warmup=$(realpath "$3")
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build/fuzz}
if [ ! -x "$build/fuzzers/$target" ]; then
  cmake --preset fuzz -B "$build" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "$target"
fi
binary=$(realpath "$build/fuzzers/$target")
# Without address randomisation where allowed, so that nothing but the target can differ.
run=()
if setarch "$(uname -m)" -R true 2>/dev/null; then run=(setarch "$(uname -m)" -R); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# features OUT FILE...: runs the files in one process (merge mode); OUT gets "index KIND value..."
# for KIND FT (features) and COV (PCs), each listing only what that file added.
features() {
  local out=$1 first=1 file
  shift
  rm -rf "$work/corpus" "$work/new" "$work/control"
  mkdir -p "$work/corpus" "$work/new"
  for file in "$@"; do
    if [ $first -eq 1 ] && [ $# -gt 1 ]; then cp "$file" "$work/corpus/0"; else cp "$file" "$work/new/1"; fi
    first=0
  done
  "${run[@]}" "$binary" -merge=1 -merge_control_file="$work/control" "$work/corpus" "$work/new" \
    >"$work/merge.log" 2>&1 || true
  [ -f "$work/control" ] || { tail -20 "$work/merge.log" >&2; exit 1; }
  awk '$1 == "FT" || $1 == "COV"' "$work/control" >"$out"
}
# values OUT INDEX KIND: the sorted values of one line of features' output.
values() { awk -v i="$2" -v k="$3" '$1 == k && $2 == i {for (f = 3; f <= NF; f++) print $f}' "$1" | sort; }

printf '\0' >"$work/empty"  # libFuzzer's merge skips empty files.
features "$work/warmup" "$warmup"
features "$work/nothing" "$work/empty"
total=0 same_twice=0 same_after=0
for file in "$inputs"/*; do
  [ -f "$file" ] || continue
  if [ ! -s "$file" ]; then
    echo "skipped, empty (libFuzzer's merge skips empty files): $file"
    continue
  fi
  total=$((total + 1))
  features "$work/alone" "$file"
  features "$work/again" "$file"
  features "$work/after_empty" "$work/empty" "$file"
  features "$work/after_warmup" "$warmup" "$file"
  cmp -s "$work/alone" "$work/again" && same_twice=$((same_twice + 1))
  differs=0
  for kind in FT COV; do
    a=$(comm -23 <(values "$work/after_empty" 1 "$kind") <(values "$work/warmup" 0 "$kind"))
    b=$(comm -23 <(values "$work/after_warmup" 1 "$kind") <(values "$work/nothing" 0 "$kind"))
    [ "$a" = "$b" ] || differs=1
  done
  if [ $differs -eq 0 ]; then
    same_after=$((same_after + 1))
  else
    echo "differs after the warm-up: $file"
  fi
done
echo "$target: $total inputs; the same features and PCs in two fresh processes: $same_twice;" \
  "the same after a one-byte input as after the warm-up input: $same_after"
[ "$same_twice" -eq "$total" ] && [ "$same_after" -eq "$total" ]
