#!/usr/bin/env bash
# Reproduces a crash with a symbolized stack, prints the operations its input stands for (the
# target's describe mode, SMAPI_DESCRIBE), minimizes it, and keeps the result as a regression
# input, corpus/<target>/regressions/<sha1>, which every later replay (ci/test.sh) runs.
#
#   ci/triage.sh CRASH [TARGET]
#   TARGET defaults to the one in CRASH's path (build/fuzz-work/<target>/... or corpus/<target>/...).
#   TRIAGE_RUNS     minimization attempts (default 10000)
#   FUZZ_BUILD_DIR  build folder of the fuzz preset (default build/fuzz)
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,10p' "$0"
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

ci/install_deps.sh clang libclang-rt-14-dev llvm-14 cmake ninja-build
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

echo "=== reproduce: $binary $crash"
if "$binary" "${flags[@]}" "$crash" 2>&1; then
  echo "does not reproduce (a concurrency crash may need a few tries)" >&2
  exit 1
fi

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
  echo "minimized: $(wc -c <"$crash") -> $(wc -c <"$minimized") bytes, decoded:"
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
