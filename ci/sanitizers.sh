#!/bin/bash
# The sanitizer matrix:
#   asan  clang, AddressSanitizer + UndefinedBehaviorSanitizer: every test (unit, stress, ABI,
#         install) and the replay of every corpus file of every fuzz target;
#   tsan  clang, ThreadSanitizer: every test as well, so the threaded ones whatever their label
#         (stress, and unit tests such as LogoffContract.ConcurrentDoubleLogoffHasOneWinner),
#         and the replay of the concurrency corpus (under TSan CMake registers the replay of the
#         threaded targets only). The tsan preset replays through the standalone driver:
#         libFuzzer's coverage counters are plain bytes that every thread of a threaded target
#         bumps, which TSan rightly reports as a race in the harness, not in the provider.
# MemorySanitizer is left out: see docs/sanitizers.md, "MSan".
#
#   ci/sanitizers.sh [asan] [tsan]          default: both
#
# Builds in the presets' own folders, build/<preset>; SMAPI_BUILD_PREFIX=build/mine- builds in
# build/mine-<preset> instead. Exits non-zero on any failure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

presets=("$@")
((${#presets[@]} > 0)) || presets=(asan tsan)
for preset in "${presets[@]}"; do
  case "$preset" in
    asan | tsan) ;;
    *)
      echo "unknown preset '$preset' (known: asan tsan)" >&2
      exit 2
      ;;
  esac
done

ci/install_deps.sh cmake ninja-build clang libclang-rt-14-dev libgtest-dev libgmock-dev binutils \
  python3

jobs="$(nproc)"
prefix="${SMAPI_BUILD_PREFIX:-build/}"

# Fail on the first report, with a stack; callers may override.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:strict_string_checks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

# clang 14's sanitizer runtimes can't place their shadow memory when mmap is randomised with more
# than 28 bits; run the tests without address randomisation then.
run=()
bits="$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)"
if ((bits > 28)) && setarch "$(uname -m)" -R true 2>/dev/null; then
  run=(setarch "$(uname -m)" -R)
fi

for preset in "${presets[@]}"; do
  dir="$prefix$preset"
  echo "=== $preset: configure and build ($dir)"
  cmake --preset "$preset" -B "$dir" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "=== $preset: test"
  "${run[@]}" ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs"
done
echo "=== sanitizers: ${presets[*]} passed"
