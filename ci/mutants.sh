#!/usr/bin/env bash
# The harness's self-test: applies each planted bug in ci/mutants/ to a scratch copy of the tree,
# builds the fuzz targets, and asks whether (1) replaying the checked-in corpus and (2) fuzzing
# from an empty corpus catch it. Prints a table and the kill rate; exits non-zero if any planted
# bug survives either question.
#
#   ci/mutants.sh [--list] [--only NAME] [--no-baseline-fuzz]
#   MUTANT_SECONDS  fuzzing budget per seed (default 60)
#   MUTANT_SEEDS    libFuzzer -seed values, one fuzzing round each (default "1 2 3")
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

seconds=${MUTANT_SECONDS:-60}
seeds=${MUTANT_SEEDS:-"1 2 3"}
only=""
list=0
baseline_fuzz=1
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=1 ;;
    --only) only=$2; shift ;;
    --no-baseline-fuzz) baseline_fuzz=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

mutants=()
for patch in ci/mutants/*.patch; do
  name=$(basename "$patch" .patch)
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  mutants+=("$name")
done
if [ $list -eq 1 ]; then
  for name in "${mutants[@]}"; do
    printf '%-42s %s\n' "$name" "$(sed -n '1s/^Planted bug: //p' "ci/mutants/$name.patch")"
  done
  exit 0
fi
[ ${#mutants[@]} -gt 0 ] || { echo "no planted bug matches '$only'" >&2; exit 2; }

ci/install_deps.sh cmake ninja-build clang libclang-rt-14-dev patch

work=$repo/build/mutants
tree=$work/tree
mkdir -p "$work"
rm -rf "$tree"
mkdir -p "$tree"
# Tracked and untracked-but-not-ignored files: the tree as the developer has it, never build/.
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree"
# Planted bugs patch the library: src/ and its public headers. Each starts from these copies.
patched_dirs=(src include)
restore() {
  local dir
  for dir in "${patched_dirs[@]}"; do
    rm -rf "${tree:?}/$dir"
    cp -r "$work/pristine/$dir" "$tree/$dir"
  done
}
rm -rf "$work/pristine"
mkdir -p "$work/pristine"
for dir in "${patched_dirs[@]}"; do cp -r "$tree/$dir" "$work/pristine/$dir"; done

targets=()
for source in "$tree"/fuzzers/*_fuzzer.cc; do
  name=$(basename "$source" .cc)
  [ "$name" = empty_fuzzer ] && continue
  targets+=("$name")
done

build() {
  # Planted bugs may well draw warnings; they are judged by the harness, not by -Werror.
  cmake -S "$tree" -B "$tree/build" --preset fuzz -DSMAPI_WERROR=OFF >/dev/null
  cmake --build "$tree/build" -j "$(nproc)" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; return 1; }
}

# libFuzzer flags from fuzzers/<target>.options ([libfuzzer] key = value) and the dict.
engine_flags() {
  local target=$1 options="$tree/fuzzers/$1.options"
  if [ -f "$options" ]; then
    sed -n 's/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\(.*\)$/-\1=\2/p' "$options"
  fi
  [ -f "$tree/fuzzers/$target.dict" ] && echo "-dict=$tree/fuzzers/$target.dict"
  return 0
}

# Replays every checked-in input of every target; prints the first target that fails, or "-".
replay() {
  local target flags
  for target in "${targets[@]}"; do
    [ -d "$tree/corpus/$target" ] || continue
    mapfile -t flags < <(engine_flags "$target")
    if ! "$tree/build/fuzzers/$target" -runs=0 "${flags[@]}" \
      "$tree/corpus/$target" >"$work/replay.$target.log" 2>&1; then
      echo "$target"
      return
    fi
  done
  echo "-"
}

# Fuzzes every target at once from an empty corpus with one seed. Prints "TARGET SECONDS" for the
# first target to fail, or "- -" when none does within the budget.
fuzz_round() {
  local seed=$1 target run pids=() start flags
  run=$work/run.$seed
  rm -rf "$run"
  mkdir -p "$run"
  start=$EPOCHREALTIME
  for target in "${targets[@]}"; do
    mkdir -p "$run/$target.corpus"
    mapfile -t flags < <(engine_flags "$target")
    (
      cd "$run"
      status=0
      "$tree/build/fuzzers/$target" -seed="$seed" -max_total_time="$seconds" \
        -artifact_prefix="$run/$target." "${flags[@]}" \
        "$run/$target.corpus" >"$run/$target.log" 2>&1 || status=$?
      echo "$status $EPOCHREALTIME" >"$run/$target.done"
    ) 2>/dev/null &  # The shell's own "Aborted" notices; the fuzzer's output is in its log.
    pids+=($!)
  done
  local winner="-" when="-"
  while :; do
    local running=0
    for target in "${targets[@]}"; do
      if [ -f "$run/$target.done" ]; then
        read -r status finished <"$run/$target.done"
        if [ "$status" != 0 ]; then
          winner=$target
          when=$(awk -v a="$start" -v b="$finished" 'BEGIN {printf "%.1f", b - a}')
          break 2
        fi
      else
        running=1
      fi
    done
    [ $running -eq 0 ] && break
    sleep 0.1
  done
  # Stop the others: their fuzzers are the children of the subshells.
  for pid in "${pids[@]}"; do pkill -KILL -P "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "$winner $when"
}

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }

echo "=== baseline: the unmodified tree must pass its own replay"
build
base_replay=$(replay)
[ "$base_replay" = "-" ] || { echo "baseline replay fails in $base_replay: fix that first" >&2; exit 1; }
# Any failure counts as a catch, so a target that fails on the unmodified tree (a false alarm, a
# flaky timeout) would "catch" every planted bug. The same rounds must pass here first.
if [ $baseline_fuzz -eq 1 ]; then
  echo "=== baseline: the unmodified tree must survive fuzzing from empty with every seed"
  for seed in $seeds; do
    read -r finder when < <(fuzz_round "$seed")
    if [ "$finder" != "-" ]; then
      echo "baseline fuzzing fails in $finder (seed $seed, ${when}s): see $work/run.$seed/" >&2
      exit 1
    fi
    echo "    seed $seed: no failure in ${seconds}s"
  done
  baseline_word="the unmodified tree survived the same rounds"
else
  baseline_word="baseline fuzzing skipped (--no-baseline-fuzz), so a false alarm would read as a catch"
fi

report=$work/report.md
{
  echo "| planted bug | caught by replay | caught by fuzzing | time to detection (median s, per seed) | caught by |"
  echo "|---|---|---|---|---|"
} >"$report"
total=0
replay_kills=0
fuzz_kills=0
all_times=()
for name in "${mutants[@]}"; do
  total=$((total + 1))
  echo "=== $name"
  restore
  patch -s -p1 -d "$tree" <"ci/mutants/$name.patch"
  if ! build; then
    echo "| $name | build failed | build failed | - | - |" >>"$report"
    continue
  fi
  by_replay=$(replay)
  [ "$by_replay" != "-" ] && replay_kills=$((replay_kills + 1))
  times=()
  finders=()
  caught_all=1
  for seed in $seeds; do
    read -r finder when < <(fuzz_round "$seed")
    echo "    seed $seed: ${finder} after ${when}s"
    if [ "$finder" = "-" ]; then
      caught_all=0
      times+=(">${seconds}")
    else
      times+=("$when")
      all_times+=("$when")
      finders+=("$finder")
    fi
  done
  if [ $caught_all -eq 1 ]; then
    fuzz_kills=$((fuzz_kills + 1))
    fuzz_word=yes
  else
    fuzz_word=no
  fi
  med=$(printf '%s\n' "${times[@]}" | { grep -v '>' || true; } | median)
  who=$(printf '%s\n' "${finders[@]}" | sort | uniq -c | sort -rn | awk '{printf "%s%s", sep, $2; sep=", "}')
  replay_word=$([ "$by_replay" != "-" ] && echo "yes ($by_replay)" || echo no)
  echo "| $name | $replay_word | $fuzz_word | $med (${times[*]}) | ${who:--} |" >>"$report"
done
restore

overall=$(printf '%s\n' "${all_times[@]}" | median)
longest=$(printf '%s\n' "${all_times[@]}" | sort -n | tail -1)
{
  echo
  echo "Kill rate: replay ${replay_kills}/${total}, fuzzing from empty ${fuzz_kills}/${total}" \
    "(every seed of: ${seeds}; ${seconds}s budget per seed; ${baseline_word})."
  echo "Median time to detection: ${overall}s; longest: ${longest:--}s."
} >>"$report"
echo
cat "$report"
[ "$replay_kills" -eq "$total" ] && [ "$fuzz_kills" -eq "$total" ]
