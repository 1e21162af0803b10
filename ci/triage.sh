#!/usr/bin/env bash
# Reproduces a crash with a symbolized stack, says how many of TRIAGE_RERUNS runs of the input
# alone reproduce it, prints the operations its input stands for (the target's describe mode,
# SMAPI_DESCRIBE), minimizes it, and keeps the result as a regression input,
# corpus/<target>/regressions/<sha1>, which every later replay (ci/test.sh) runs.
#
#   ci/triage.sh CRASH [TARGET]
#   TARGET defaults to the one in CRASH's path (build/fuzz-work/<target>/... or corpus/<target>/...).
#   TRIAGE_RUNS     minimization attempts (default 10000)
#   TRIAGE_RERUNS   runs of the input alone that count reproductions (default 10)
#   FUZZ_BUILD_DIR  build folder of the fuzz preset (default build/fuzz)
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,12p' "$0"
  exit 2
fi
crash=$(realpath "$1")
target=${2:-}
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build/fuzz}

if [ -z "$target" ]; then
  target=$(sed -nE 's#.*/(fuzz-work|corpus)/([a-z0-9_]+_fuzzer)/.*#\2#p' <<<"$crash")
fi
target=${target%.cc}
if [ -z "$target" ] || [ ! -f "fuzzers/$target.cc" ]; then
  echo "cannot tell the target from '$1'; name it: ci/triage.sh CRASH TARGET" >&2
  exit 2
fi

ci/install_deps.sh clang libclang-rt-14-dev llvm-14 cmake ninja-build python3
if [ ! -x "$build/fuzzers/$target" ]; then
  cmake --preset fuzz -B "$build" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "$target"
fi
binary=$(realpath "$build/fuzzers/$target")
repo=$(pwd)

symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$symbolizer" ] || symbolizer=$(command -v llvm-symbolizer || true)
export ASAN_SYMBOLIZER_PATH=$symbolizer
export ASAN_OPTIONS=${ASAN_OPTIONS:-symbolize=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-symbolize=1:print_stacktrace=1}
# The target's own limits, but not max_len: the crash may be longer.
mapfile -t flags < <(sed -nE 's/^[[:space:]]*(timeout)[[:space:]]*=[[:space:]]*([0-9]+).*/-\1=\2/p' \
  "$repo/fuzzers/$target.options" 2>/dev/null || true)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # -minimize_crash writes scratch files into the working folder.

reruns=${TRIAGE_RERUNS:-10}
# How many of $reruns runs of FILE alone fail the way the first one did (ci/fuzz_checks.py finding).
reproductions() {
  local file=$1 want=$2 same=0 i
  for ((i = 0; i < reruns; i++)); do
    if ! "$binary" "${flags[@]}" "$file" >"$work/rerun.log" 2>&1 &&
      [ "$(python3 "$repo/ci/fuzz_checks.py" finding "$work/rerun.log" "$repo" | cut -f1,2)" = "$want" ]; then
      same=$((same + 1))
    fi
  done
  echo "$same"
}

echo "=== reproduce: $binary $crash"
if "$binary" "${flags[@]}" "$crash" >"$work/first.log" 2>&1; then
  cat "$work/first.log"
  echo "the first run does not fail; trying $reruns more" >&2
  found=0
  for ((i = 0; i < reruns; i++)); do
    if ! "$binary" "${flags[@]}" "$crash" >"$work/first.log" 2>&1; then
      found=1
      break
    fi
  done
  if [ $found -eq 0 ]; then
    echo "reproduces: 0/$((reruns + 1)) runs of the input alone" >&2
    exit 1
  fi
fi
cat "$work/first.log"
finding=$(python3 "$repo/ci/fuzz_checks.py" finding "$work/first.log" "$repo")
want=$(cut -f1,2 <<<"$finding")
echo "=== finding: $(cut -f4 <<<"$finding") ($(cut -f2,3 <<<"$finding" | tr '\t' ' '))"
echo "=== reproduces: $(reproductions "$crash" "$want")/$reruns runs of the input alone"

# The operations an input stands for, decoded by the target itself (fuzzers/support/describe.h).
decoded() {
  SMAPI_DESCRIBE=1 "$binary" "$1" 2>/dev/null | grep -v '^standalone driver:' | sed 's/^/    /'
}
echo "=== decoded input"
decoded "$crash"

echo "=== minimize (${TRIAGE_RUNS:-10000} runs)"
minimized=$work/minimized
if "$binary" "${flags[@]}" -minimize_crash=1 -runs="${TRIAGE_RUNS:-10000}" \
  -exact_artifact_path="$minimized" "$crash" >"$work/minimize.log" 2>&1 && [ -s "$minimized" ] &&
  ! "$binary" "${flags[@]}" "$minimized" >/dev/null 2>&1; then
  echo "minimized: $(wc -c <"$crash") -> $(wc -c <"$minimized") bytes;" \
    "reproduces: $(reproductions "$minimized" "$want")/$reruns runs alone"
  echo "decoded:"
  decoded "$minimized"
else
  echo "minimization gave nothing smaller that still fails; keeping the input as it is"
  cp "$crash" "$minimized"
fi

sha=$(sha1sum "$minimized" | cut -c1-40)
dest=corpus/$target/regressions/$sha
mkdir -p "$repo/corpus/$target/regressions"
cp "$minimized" "$repo/$dest"
echo "=== kept: $dest"
echo "It fails every replay (ctest -L replay, ci/test.sh) until the bug is fixed. Then:"
echo "  git add $dest"
