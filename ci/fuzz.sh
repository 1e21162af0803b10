#!/usr/bin/env bash
# The project's main command: builds the fuzz preset (clang, libFuzzer, ASan+UBSan) and fuzzes
# every target, or the ones named, for FUZZ_SECONDS each, in libFuzzer's fork mode on every core.
# Each target starts from its checked-in corpus/<target>/ with its fuzzers/<target>.dict and
# .options; new inputs go to build/fuzz-work/<target>/corpus (into corpus/ only with --merge).
# Ends with a table: exec/s, exec/s per worker (one core's share), the ratio to empty_fuzzer (the
# engine's floor, run in the same invocation), cov, ft, corpus units added, and crashes with their
# paths. Exits non-zero on any crash, leak, timeout or out-of-memory.
#
#   ci/fuzz.sh [--merge] [TARGET...]
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_JOBS       fork-mode workers (default: nproc)
#   FUZZ_BUILD_DIR  build folder (default build/fuzz, the preset's own)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
build=${FUZZ_BUILD_DIR:-build/fuzz}
merge=0
named=()
while [ $# -gt 0 ]; do
  case "$1" in
    --merge) merge=1 ;;
    -h | --help)
      sed -n '2,14p' "$0"
      exit 0
      ;;
    -*)
      echo "unknown option: $1" >&2
      exit 2
      ;;
    *) named+=("${1%.cc}") ;;
  esac
  shift
done

ci/install_deps.sh clang libclang-rt-14-dev llvm-14 cmake ninja-build python3

echo "=== build: fuzz preset in $build"
cmake --preset fuzz -B "$build" >/dev/null
cmake --build "$build" -j "$(nproc)"

all=()
for source in fuzzers/*_fuzzer.cc; do all+=("$(basename "$source" .cc)"); done
if [ ${#named[@]} -eq 0 ]; then
  named=("${all[@]}")
fi
# The floor goes first, measured the same way as the targets.
targets=(empty_fuzzer)
for name in "${named[@]}"; do
  if [ ! -x "$build/fuzzers/$name" ]; then
    echo "no such fuzz target: $name (have: ${all[*]})" >&2
    exit 2
  fi
  [ "$name" = empty_fuzzer ] || targets+=("$name")
done

# libFuzzer flags from the [libfuzzer] section of fuzzers/<target>.options.
options_flags() {
  local file="fuzzers/$1.options"
  [ -f "$file" ] || return 0
  awk '/^\[/ {section = $0; next}
       section == "[libfuzzer]" && /=/ {
         split($0, kv, "="); gsub(/[ \t]/, "", kv[1]); gsub(/^[ \t]+|[ \t]+$/, "", kv[2]);
         printf "-%s=%s\n", kv[1], kv[2]
       }' "$file"
}

count_files() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }

declare -A rate cov ft added crashes
failed=0
for target in "${targets[@]}"; do
  work=build/fuzz-work/$target
  mkdir -p "$work/corpus" "$work/artifacts"
  stamp=$work/.started
  touch "$stamp"
  before=$(count_files "$work/corpus")
  flags=(-fork="$jobs" -max_total_time="$seconds" -artifact_prefix="$repo/$work/artifacts/")
  mapfile -t extra < <(options_flags "$target")
  flags+=("${extra[@]}")
  [ -f "fuzzers/$target.dict" ] && flags+=(-dict="fuzzers/$target.dict")
  dirs=("$work/corpus")
  [ -d "corpus/$target" ] && dirs+=("corpus/$target")

  echo "=== $target: ${seconds}s, $jobs workers"
  status=0
  # Progress: libFuzzer's stats lines, one per finished job.
  "$build/fuzzers/$target" "${flags[@]}" "${dirs[@]}" >"$work/fuzz.log" 2>&1 &
  pid=$!
  tail -n +1 -f "$work/fuzz.log" --pid=$pid 2>/dev/null |
    grep --line-buffered -E '^#[0-9]+: cov:|ERROR|SUMMARY|INFO: (exiting|fuzzed for)' |
    sed -u "s/^/  [$target] /" || true
  wait $pid || status=$?

  # The last stats line: "#RUNS: cov: C ft: F corp: K exec/s E oom/timeout/crash: O/T/X time: Ss"
  last=$(grep -E '^#[0-9]+: cov:' "$work/fuzz.log" | tail -n 1 || true)
  runs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
  secs=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
  cov[$target]=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft[$target]=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  # Aggregate throughput: every job's runs over the wall time (each job's own exec/s is noisier).
  if [ -n "$runs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ]; then
    rate[$target]=$((runs / secs))
  else
    rate[$target]=$(sed -nE 's/.*exec\/s:? ([0-9]+).*/\1/p' <<<"$last")
  fi
  failures=$(sed -nE 's/.*oom\/timeout\/crash: ([0-9]+)\/([0-9]+)\/([0-9]+).*/\1 \2 \3/p' <<<"$last")
  added[$target]=$(($(count_files "$work/corpus") - before))
  mapfile -t found < <(find "$work/artifacts" -type f -newer "$stamp" | sort)
  crashes[$target]=${#found[@]}
  if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ] || { [ -n "$failures" ] && [ "$failures" != "0 0 0" ]; }; then
    failed=1
    echo "!!! $target: exit status $status, oom/timeout/crash ${failures:-?}; log: $work/fuzz.log"
    crashes[$target]="${#found[@]} (oom/timeout/crash ${failures// //})"
  fi

  if [ $merge -eq 1 ] && [ "$target" != empty_fuzzer ]; then
    mkdir -p "corpus/$target"
    inputs=$(count_files "corpus/$target")
    "$build/fuzzers/$target" -merge=1 "${extra[@]}" "corpus/$target" "$work/corpus" \
      >"$work/merge.log" 2>&1
    echo "  [$target] merged $(($(count_files "corpus/$target") - inputs)) inputs into corpus/$target"
  fi
done

floor=${rate[empty_fuzzer]:-0}
echo
printf '%-20s %10s %10s %8s %7s %7s %6s  %s\n' target exec/s "per worker" "x floor" cov ft \
  added crashes
for target in "${targets[@]}"; do
  r=${rate[$target]:-0}
  ratio=$(awk -v r="$r" -v f="$floor" 'BEGIN { if (f > 0) printf "%.3f", r / f; else print "-" }')
  printf '%-20s %10s %10s %8s %7s %7s %6s  %s\n' "$target" "$r" "$((r / jobs))" "$ratio" \
    "${cov[$target]:--}" "${ft[$target]:--}" "${added[$target]}" "${crashes[$target]}"
done
echo
echo "exec/s: every job's runs over the wall time, ${jobs} workers; per worker: that over ${jobs}," \
  "one core's share when the workers have a core each; x floor: over empty_fuzzer's."
found_any=0
for target in "${targets[@]}"; do
  while read -r artifact; do
    [ -n "$artifact" ] || continue
    [ $found_any -eq 1 ] || echo "Crashes (reproduce and keep with ci/triage.sh ARTIFACT):"
    found_any=1
    echo "  $target: $artifact"
  done < <(find "build/fuzz-work/$target/artifacts" -type f -newer "build/fuzz-work/$target/.started" | sort)
done
exit $failed
