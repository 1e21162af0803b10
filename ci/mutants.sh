#!/usr/bin/env bash
# The harness's self-test: applies each planted bug in ci/mutants/ to a scratch copy of the tree,
# builds the fuzz targets, and asks whether (1) replaying the checked-in corpus and (2) fuzzing
# from an empty corpus catch it. For every catch it records what fired (the check's file:line and
# condition, or the sanitizer and its error kind) and whether the crashing input, run alone
# MUTANT_RERUNS times with the same flags, fails the same way every time. Prints a table, the kill
# rate and the reproduction rate; exits non-zero if any planted bug survives either question or a
# catch does not reproduce every time, except one whose patch says "Not caught here:" (reported
# only).
#
#   ci/mutants.sh [--list] [--only NAME]... [--no-baseline-fuzz] [--write-docs]
#   --only NAME     only the planted bugs whose names contain NAME (repeatable)
#   --write-docs    then rewrites the generated section of docs/FUZZING.md: which planted bug fires
#                   each fuzz check (SMAPI_FUZZ_CHECK, SCHEDULE_CHECK), from the records of every
#                   planted bug's latest run
#   MUTANT_SECONDS  fuzzing budget per seed (default 60)
#   MUTANT_SEEDS    libFuzzer -seed values, one fuzzing round each (default "1 2 3")
#   MUTANT_RERUNS   reruns of each crashing input alone (default 10)
#   MUTANT_BEHIND   how many checks deep replay looks behind a check that fired, each time with
#                   the checks before it skipped (SMAPI_FUZZ_SKIP; default 5): what fires there
#                   is recorded as "replay behind N" and proves a check the first one pre-empts
#
# Also written: build/mutants/report.md (the table), build/mutants/catches.tsv (one row per catch:
# planted bug, how, target, seconds, kind, what fired, where, artifact, reproduced, reruns) and
# build/mutants/summary.txt (key=value totals); build/mutants/catches/NAME.tsv keeps each planted
# bug's rows across runs for --write-docs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

seconds=${MUTANT_SECONDS:-60}
seeds=${MUTANT_SEEDS:-"1 2 3"}
reruns=${MUTANT_RERUNS:-10}
only=()
list=0
baseline_fuzz=1
write_docs=0
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=1 ;;
    --only) only+=("$2"); shift ;;
    --no-baseline-fuzz) baseline_fuzz=0 ;;
    --write-docs) write_docs=1 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

mutants=()
for patch in ci/mutants/*.patch; do
  name=$(basename "$patch" .patch)
  if [ ${#only[@]} -gt 0 ]; then
    wanted=0
    for pattern in "${only[@]}"; do [[ "$name" == *"$pattern"* ]] && wanted=1; done
    [ $wanted -eq 1 ] || continue
  fi
  mutants+=("$name")
done
if [ $list -eq 1 ]; then
  for name in "${mutants[@]}"; do
    printf '%-42s %s\n' "$name" "$(sed -n '1s/^Planted bug: //p' "ci/mutants/$name.patch")"
  done
  exit 0
fi
[ ${#mutants[@]} -gt 0 ] || { echo "no planted bug matches '${only[*]}'" >&2; exit 2; }

ci/install_deps.sh cmake ninja-build clang libclang-rt-14-dev patch python3

work=$repo/build/mutants
tree=$work/tree
mkdir -p "$work"
rm -rf "$tree"
mkdir -p "$tree"
# Tracked and untracked-but-not-ignored files: the tree as the developer has it, never build/.
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree"
# Planted bugs patch the library: src/, and include/ where the inline lookup lives.
patched_dirs=(src include)
restore_library() {
  local dir
  for dir in "${patched_dirs[@]}"; do
    rm -rf "${tree:?}/$dir"
    cp -r "$work/$dir.pristine" "$tree/$dir"
  done
}
for dir in "${patched_dirs[@]}"; do
  rm -rf "${work:?}/$dir.pristine"
  cp -r "$tree/$dir" "$work/$dir.pristine"
done

# Every target but empty_fuzzer, which checks nothing. concurrent_fuzzer runs real threads, so
# what its threaded inputs find depends on the OS scheduler and cannot be promised to reproduce
# from the input: replay gives it only its serial seeds (corpus/concurrent_fuzzer/serial-*), which
# run the same checks over one fixed interleaving. Races are schedule_fuzzer's to catch here,
# deterministically; threaded concurrent_fuzzer stays the stress test of ci/fuzz.sh and of the
# corpus replay in ci/test.sh.
targets=()
for source in "$tree"/fuzzers/*_fuzzer.cc; do
  name=$(basename "$source" .cc)
  case "$name" in empty_fuzzer) continue ;; esac
  targets+=("$name")
done
# Fuzzing from empty leaves out concurrent_fuzzer (above) and provider_fuzzer. provider_fuzzer
# drives libsmapi.so's process-wide provider, whose handles are keyed at random per process and
# whose tag stream runs on from input to input, so a finding that rests on handle values (planted
# bug 05's repeated tag) cannot be rerun from one input. Replay judges both, with everything else.
fuzz_targets=()
for name in "${targets[@]}"; do
  case "$name" in concurrent_fuzzer | provider_fuzzer) continue ;; esac
  fuzz_targets+=("$name")
done
# How deep the replay looks behind a check that fired: skip it (SMAPI_FUZZ_SKIP) and replay again.
behind_depth=${MUTANT_BEHIND:-5}

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

# The checked-in inputs replay gives a target: its corpus folder, or for concurrent_fuzzer its
# serial seeds alone.
replay_inputs() {
  local target=$1
  if [ "$target" = concurrent_fuzzer ]; then
    find "$tree/corpus/$target" -maxdepth 1 -type f -name 'serial-*' | sort
  else
    echo "$tree/corpus/$target"
  fi
}

# Replays TARGET's checked-in inputs with the checks in SKIP (SMAPI_FUZZ_SKIP: "path:line,...")
# let through; fails when the replay does. Its log is PREFIX.log and a failing input lands in
# PREFIX.crash-... (or leak-, timeout-...).
replay_target() {
  local target=$1 skip=$2 prefix=$3 flags inputs
  rm -f "$prefix".*
  mapfile -t flags < <(engine_flags "$target")
  mapfile -t inputs < <(replay_inputs "$target")
  [ ${#inputs[@]} -gt 0 ] || return 0
  if SMAPI_FUZZ_SKIP=$skip "$tree/build/fuzzers/$target" -runs=0 "${flags[@]}" \
    -artifact_prefix="$prefix." "${inputs[@]}" >"$prefix.log" 2>&1; then
    return 0
  fi
  # Given files rather than a folder, libFuzzer keeps no copy of the one that failed: it is the
  # last one the log says it ran.
  local last
  last=$(sed -n 's/^Running: //p' "$prefix.log" | tail -n 1)
  if [ -z "$(artifact_of "$prefix.")" ] && [ -f "$last" ]; then
    cp "$last" "$prefix.crash-$(basename "$last")"
  fi
  return 1
}

# Replays every checked-in input of every target; prints each target that fails, one per line,
# so that every check the corpus fires is recorded, not only the first target's. A failing input
# lands in $work/replay.<target>.crash-... (or leak-, timeout-...).
replay() {
  local target
  for target in "${targets[@]}"; do
    [ -d "$tree/corpus/$target" ] || continue
    replay_target "$target" "" "$work/replay.$target" || echo "$target"
  done
}

# What a failed run's log reports: "kind<TAB>what<TAB>where<TAB>short name" (ci/fuzz_checks.py).
finding() { python3 "$repo/ci/fuzz_checks.py" finding "$1" "$tree"; }

# The input libFuzzer kept for a failure, given its -artifact_prefix; empty when there is none.
artifact_of() {
  local prefix=$1 kind file
  for kind in crash leak timeout oom slow-unit; do
    for file in "$prefix$kind"-*; do
      [ -f "$file" ] && { echo "$file"; return; }
    done
  done
  echo ""
}

# Runs TARGET alone on ARTIFACT $reruns times, with the fuzzing flags; prints how many of the runs
# fail with the same finding (kind and what) as the catch.
reproduce() {
  local target=$1 artifact=$2 want=$3 skip=${4:-} flags same=0 i kind what rest
  [ -n "$artifact" ] || { echo 0; return; }
  mapfile -t flags < <(engine_flags "$target")
  for ((i = 0; i < reruns; i++)); do
    rm -f "$work/rerun."*
    if ! SMAPI_FUZZ_SKIP=$skip "$tree/build/fuzzers/$target" "${flags[@]}" \
      -artifact_prefix="$work/rerun." "$artifact" >"$work/rerun.log" 2>&1; then
      IFS=$'\t' read -r kind what rest < <(finding "$work/rerun.log")
      [ "$kind"$'\t'"$what" = "$want" ] && same=$((same + 1))
    fi
  done
  echo "$same"
}

# Records one catch: what fired, and whether its input reproduces it alone (with the same checks
# skipped, SKIP). Appends a row to $catches and sets "$fired" (the short name), "$fired_kind" and
# "$fired_what", "$repro" (reproducing reruns) and "$repro_word".
record_catch() {
  local name=$1 how=$2 target=$3 seconds=$4 log=$5 artifact=$6 skip=${7:-} kind what where short
  IFS=$'\t' read -r kind what where short < <(finding "$log")
  fired_kind=$kind
  fired_what=$what
  repro=$(reproduce "$target" "$artifact" "$kind"$'\t'"$what" "$skip")
  repro_word=$([ -n "$artifact" ] && echo "$repro/$reruns" || echo "no input kept")
  fired=$short
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$patch_sha1" "$how" \
    "$target" "$seconds" "$kind" "$what" "$where" "${artifact#"$repo"/}" "$repro" "$reruns" \
    >>"$catches"
  echo "    $how: $target: $short$([ "$where" = - ] || echo " ($where)"); reproduces alone: $repro_word"
}

# One seed, one campaign: each target then runs the same inputs in the same order in every round,
# and only how fast it gets through them varies. That takes two things libFuzzer does not give by
# default: -reload=0 (it rereads its corpus folder on a wall-clock timer, and runs what it reads),
# and a fixed load address (it files compared values for its mutations by code address, so under
# ASLR two runs' tables differ). setarch -R turns ASLR off for the fuzzer where the kernel allows.
fixed_address=()
if setarch -R true 2>/dev/null; then fixed_address=(setarch -R); fi

# Fuzzes every target in fuzz_targets at once from an empty corpus with one seed. Prints
# "TARGET SECONDS" for the first target to fail, or "- -" when none does within the budget.
fuzz_round() {
  local seed=$1 target run pids=() start flags
  run=$work/run.$seed
  rm -rf "$run"
  mkdir -p "$run"
  start=$EPOCHREALTIME
  for target in "${fuzz_targets[@]}"; do
    mkdir -p "$run/$target.corpus"
    mapfile -t flags < <(engine_flags "$target")
    (
      cd "$run"
      status=0
      "${fixed_address[@]}" "$tree/build/fuzzers/$target" -seed="$seed" -reload=0 \
        -max_total_time="$seconds" -artifact_prefix="$run/$target." "${flags[@]}" \
        "$run/$target.corpus" >"$run/$target.log" 2>&1 || status=$?
      # Written whole, then renamed: the watcher below must never read a half-written file.
      echo "$status $EPOCHREALTIME" >"$run/$target.done.part"
      mv "$run/$target.done.part" "$run/$target.done"
    ) 2>/dev/null &  # The shell's own "Aborted" notices; the fuzzer's output is in its log.
    pids+=($!)
  done
  local winner="-" when="-"
  while :; do
    local running=0
    for target in "${fuzz_targets[@]}"; do
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
base_replay=$(replay | paste -sd' ' -)
[ -z "$base_replay" ] || { echo "baseline replay fails in $base_replay: fix that first" >&2; exit 1; }
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
catches=$work/catches.tsv
mkdir -p "$work/catches"
{
  echo "| planted bug | caught by replay | caught by fuzzing | time to detection (median s, per seed) | caught by | what fired | reproduces alone |"
  echo "|---|---|---|---|---|---|---|"
} >"$report"
: >"$catches"
total=0
replay_kills=0
fuzz_kills=0
catch_count=0
reproduced_count=0
all_times=()
uncatchable=()
behind_total=0
behind_unreproduced=()
for name in "${mutants[@]}"; do
  echo "=== $name"
  patch_sha1=$(sha1sum "ci/mutants/$name.patch" | cut -c1-40)
  # A planted bug that says "Not caught here:" is a defect no tool in CI can see on this hardware
  # (see the patch for why). It still runs, so the table shows it, but it is not counted.
  counted=1
  grep -q '^Not caught here:' "ci/mutants/$name.patch" && counted=0
  [ $counted -eq 1 ] && total=$((total + 1))
  restore_library
  patch -s -p1 -d "$tree" <"ci/mutants/$name.patch"
  if ! build; then
    echo "| $name | build failed | build failed | - | - | - | - |" >>"$report"
    continue
  fi
  first_catch=$(($(wc -l <"$catches") + 1))
  behind_count=0
  fired_list=()
  unreproduced=()
  mapfile -t replay_finders < <(replay)
  [ ${#replay_finders[@]} -gt 0 ] && [ $counted -eq 1 ] && replay_kills=$((replay_kills + 1))
  for finder in "${replay_finders[@]}"; do
    record_catch "$name" replay "$finder" - "$work/replay.$finder.log" \
      "$(artifact_of "$work/replay.$finder.")"
    fired_list+=("$fired")
    [ "$repro" = "$reruns" ] || unreproduced+=("replay $finder $repro_word")
    # Behind the check that fired: skip it and replay again, so that a check the first one always
    # pre-empts shows whether it would have caught the defect too. Reported, and held to the same
    # reproduction rule, but not counted as kills.
    skip=""
    for ((depth = 1; depth <= behind_depth; depth++)); do
      [ "$fired_kind" = check ] || break
      skip=${skip:+$skip,}$fired_what
      prefix=$work/behind.$finder.$depth
      replay_target "$finder" "$skip" "$prefix" && break
      [ "$(finding "$prefix.log" | cut -f1)" = check ] || break
      record_catch "$name" "replay behind $depth" "$finder" - "$prefix.log" \
        "$(artifact_of "$prefix.")" "$skip"
      # With a check skipped, a defect can carry past the input where that check stood (a kept
      # world's leak shows when the world is renewed, inputs later), so a behind catch that its
      # input alone does not reproduce is reported, and proves nothing, but fails no run.
      [ "$repro" = "$reruns" ] || behind_unreproduced+=("$name: behind $depth $finder $repro_word")
      behind_count=$((behind_count + 1))
    done
  done
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
      [ $counted -eq 1 ] && all_times+=("$when")
      finders+=("$finder")
      record_catch "$name" "seed $seed" "$finder" "$when" "$work/run.$seed/$finder.log" \
        "$(artifact_of "$work/run.$seed/$finder.")"
      fired_list+=("$fired")
      [ "$repro" = "$reruns" ] || unreproduced+=("seed $seed $repro_word")
    fi
  done
  tail -n +"$first_catch" "$catches" >"$work/catches/$name.tsv"
  caught_here=$(($(wc -l <"$catches") - first_catch + 1 - behind_count))
  catch_count=$((catch_count + caught_here))
  reproduced_count=$((reproduced_count + caught_here - ${#unreproduced[@]}))
  behind_total=$((behind_total + behind_count))
  if [ $caught_all -eq 1 ]; then
    [ $counted -eq 1 ] && fuzz_kills=$((fuzz_kills + 1))
    fuzz_word=yes
  else
    fuzz_word=no
  fi
  med=$(printf '%s\n' "${times[@]}" | { grep -v '>' || true; } | median)
  who=$(printf '%s\n' "${finders[@]}" | sort | uniq -c | sort -rn | awk '{printf "%s%s", sep, $2; sep=", "}')
  replay_word=no
  [ ${#replay_finders[@]} -eq 0 ] || replay_word="yes ($(printf '%s, ' "${replay_finders[@]}"))"
  replay_word=${replay_word/%, )/)}
  # "check logoff_fuzzer.cc:123 ×3, ASan heap-use-after-free": what fired, most often first.
  what=$(printf '%s\n' "${fired_list[@]}" | { grep -v '^$' || true; } | sort | uniq -c | sort -rn |
    awk '{n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s%s", sep, $0, (n > 1 ? " ×" n : ""); sep = ", "}')
  if [ "$caught_here" -eq 0 ]; then
    repro_cell=-
  elif [ ${#unreproduced[@]} -eq 0 ]; then
    repro_cell="${caught_here}/${caught_here} catches ${reruns}/${reruns}"
  else
    misses=$(printf '%s, ' "${unreproduced[@]}")
    repro_cell="**$((caught_here - ${#unreproduced[@]}))/${caught_here}** (${misses%, })"
  fi
  [ $counted -eq 1 ] || { who="${who:--}; not counted: no tool here can catch it"; uncatchable+=("$name"); }
  echo "| $name | $replay_word | $fuzz_word | $med (${times[*]}) | ${who:--} | ${what:--} | $repro_cell |" >>"$report"
done
restore_library

# The fuzz checks that no catch of this run fired.
unfired=$(python3 ci/fuzz_checks.py unfired "$catches")
checks_total=$(python3 ci/fuzz_checks.py list | wc -l)
checks_unfired=$(printf '%s' "$unfired" | grep -c . || true)

overall=$(printf '%s\n' "${all_times[@]}" | median)
longest=$(printf '%s\n' "${all_times[@]}" | sort -n | tail -1)
{
  echo
  echo "Kill rate: replay ${replay_kills}/${total}, fuzzing from empty ${fuzz_kills}/${total}" \
    "(every seed of: ${seeds}; ${seconds}s budget per seed; ${baseline_word})."
  echo "Median time to detection: ${overall}s; longest: ${longest:--}s."
  echo "Reproduction: ${reproduced_count} of ${catch_count} catches fail the same way in" \
    "${reruns} of ${reruns} runs of their input alone (same flags). Behind a check:" \
    "$((behind_total - ${#behind_unreproduced[@]})) of ${behind_total} catches reproduce alone" \
    "(with the same checks skipped); the rest prove nothing${behind_unreproduced[*]:+: ${behind_unreproduced[*]}}."
  echo "Checks: $((checks_total - checks_unfired)) of ${checks_total} fuzz checks (SMAPI_FUZZ_CHECK, SCHEDULE_CHECK) fired in this run."
  if [ ${#only[@]} -eq 0 ] && [ -n "$unfired" ]; then
    echo
    echo "Fired by no planted bug in this run:"
    echo
    printf '%s\n' "$unfired" | awk -F'\t' '{printf "- `%s` `%s`\n", $1, $2}'
  fi
  [ ${#uncatchable[@]} -eq 0 ] ||
    echo "Not counted (marked \"Not caught here\" in the patch): ${uncatchable[*]}."
} >>"$report"
{
  echo "planted_bugs=$total"
  echo "replay_kills=$replay_kills"
  echo "fuzz_kills=$fuzz_kills"
  echo "catches=$catch_count"
  echo "catches_reproduced=$reproduced_count"
  echo "behind_catches=$behind_total"
  echo "behind_reproduced=$((behind_total - ${#behind_unreproduced[@]}))"
  echo "reruns=$reruns"
  echo "checks=$checks_total"
  echo "checks_fired=$((checks_total - checks_unfired))"
  echo "checks_unfired=$(printf '%s' "$unfired" | cut -f1 | paste -sd' ' -)"
} >"$work/summary.txt"
echo
cat "$report"
echo
echo "Catches: $catches; totals: $work/summary.txt"
if [ $write_docs -eq 1 ]; then
  python3 ci/fuzz_checks.py docs docs/FUZZING.md "$work/catches" ci/mutants
fi
[ "$replay_kills" -eq "$total" ] && [ "$fuzz_kills" -eq "$total" ] &&
  [ "$reproduced_count" -eq "$catch_count" ]
