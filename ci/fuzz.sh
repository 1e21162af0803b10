#!/usr/bin/env bash
# The project's main command: builds the fuzz preset (clang, libFuzzer, ASan+UBSan) and fuzzes
# every target, or the ones named, for FUZZ_SECONDS each, in libFuzzer's fork mode on every core.
# Each target starts from its checked-in corpus/<target>/ with its fuzzers/<target>.dict and
# .options; new inputs go to build/fuzz-work/<target>/corpus (into corpus/ only with --merge).
# Then each target runs alone in one process for FUZZ_SPEED_SECONDS on the same inputs, and so
# does empty_fuzzer (the engine's floor). Ends with a table: fork-mode exec/s and its share per
# worker, the single-process exec/s and its ratio to the floor's ("x floor", the figure speed goals
# use: fork mode's workers share cores and the parent's bookkeeping, which flatters a slow target),
# fork mode's ratio beside it, cov, ft, corpus units added, and crashes with their paths. Exits
# non-zero on any crash, leak, timeout or out-of-memory.
#
#   ci/fuzz.sh [--merge] [TARGET...]
#   FUZZ_SECONDS        seconds per target (default 60)
#   FUZZ_SPEED_SECONDS  seconds of the single-process run per target (default 5)
#   FUZZ_JOBS           fork-mode workers (default: nproc)
#   FUZZ_BUILD_DIR      build folder (default build/fuzz, the preset's own)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

seconds=${FUZZ_SECONDS:-60}
speed_seconds=${FUZZ_SPEED_SECONDS:-5}
jobs=${FUZZ_JOBS:-$(nproc)}
build=${FUZZ_BUILD_DIR:-build/fuzz}
merge=0
named=()
while [ $# -gt 0 ]; do
  case "$1" in
    --merge) merge=1 ;;
    -h | --help)
      sed -n '2,19p' "$0"
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

declare -A rate single cov ft added crashes
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
  flags_dict=""
  [ -f "fuzzers/$target.dict" ] && flags_dict=-dict="fuzzers/$target.dict"
  [ -z "$flags_dict" ] || flags+=("$flags_dict")
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

  # One process on one core, from the same inputs: what the ratio to the floor is taken from. New
  # inputs go to a scratch folder; a finding lands with the others.
  speed=$work/speed
  rm -rf "$speed"
  mkdir -p "$speed"
  speed_status=0
  "$build/fuzzers/$target" -max_total_time="$speed_seconds" -print_final_stats=1 \
    -artifact_prefix="$repo/$work/artifacts/" "${extra[@]}" \
    ${flags_dict:+"$flags_dict"} "$speed" "${dirs[@]}" >"$work/speed.log" 2>&1 || speed_status=$?
  [ $speed_status -eq 0 ] || status=$speed_status
  single[$target]=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$work/speed.log")
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

floor=${single[empty_fuzzer]:-0}
fork_floor=${rate[empty_fuzzer]:-0}
ratio() { awk -v r="$1" -v f="$2" 'BEGIN { if (f > 0 && r != "") printf "%.3f", r / f; else print "-" }'; }
echo
printf '%-20s %10s %10s %10s %8s %8s %7s %7s %6s  %s\n' target "fork exec/s" "per worker" \
  "1-proc e/s" "x floor" "fork x" cov ft added crashes
for target in "${targets[@]}"; do
  r=${rate[$target]:-0}
  printf '%-20s %10s %10s %10s %8s %8s %7s %7s %6s  %s\n' "$target" "$r" "$((r / jobs))" \
    "${single[$target]:--}" "$(ratio "${single[$target]:-}" "$floor")" \
    "$(ratio "$r" "$fork_floor")" "${cov[$target]:--}" "${ft[$target]:--}" "${added[$target]}" \
    "${crashes[$target]}"
done
echo
echo "fork exec/s: every job's runs over the wall time, ${jobs} workers; per worker: that over" \
  "${jobs}. 1-proc e/s: one process, ${speed_seconds}s, libFuzzer's average. x floor: 1-proc e/s" \
  "over empty_fuzzer's (the figure goals use); fork x: the fork-mode ratio, for comparison."
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
