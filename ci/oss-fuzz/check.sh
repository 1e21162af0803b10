#!/bin/bash
# Runs ci/oss-fuzz/build.sh here, without a container, the way the OSS-Fuzz builder runs it, once
# per combination of engine and sanitizer, then checks every target it left in $OUT the way
# OSS-Fuzz's bad-build check would:
#
#   runs          it runs without a corpus for a few inputs and finishes ("Done N runs");
#                 under AFL++ also a short afl-fuzz session, which refuses uninstrumented targets
#   seeds         it replays every file of its <target>_seed_corpus.zip without a crash
#   instrumented  it carries coverage instrumentation (edges in the binary, and coverage seen at
#                 run time) and the combination's sanitizer runtime
#   linkage       nothing it loads comes from the build tree (statically linked project code)
#   extras        <target>.dict / <target>.options are in $OUT exactly when fuzzers/ has them
#
#   ci/oss-fuzz/check.sh [COMBINATION...]   default: libfuzzer-address libfuzzer-undefined afl-address
#
# Each combination gets its own $SRC, $WORK and $OUT under build/oss-fuzz/<combination>/; the
# logs of every check are in build/oss-fuzz/<combination>/logs/. Exits non-zero on any failure.
# Tunables: SMAPI_CHECK_RUNS (inputs without a corpus, default 64), SMAPI_CHECK_AFL_EXECS
# (executions of the short afl-fuzz session, default 2000).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

runs="${SMAPI_CHECK_RUNS:-64}"
afl_execs="${SMAPI_CHECK_AFL_EXECS:-2000}"
all_combinations=(libfuzzer-address libfuzzer-undefined afl-address)
combinations=("$@")
((${#combinations[@]} > 0)) || combinations=("${all_combinations[@]}")

need_afl=0
for combination in "${combinations[@]}"; do
  case "$combination" in
    libfuzzer-address | libfuzzer-undefined) ;;
    afl-address) need_afl=1 ;;
    *)
      echo "unknown combination '$combination' (known: ${all_combinations[*]})" >&2
      exit 2
      ;;
  esac
done

packages=(clang libclang-rt-14-dev cmake ninja-build zip unzip binutils)
if ((need_afl)); then packages+=(afl++); fi
ci/install_deps.sh "${packages[@]}"

# The flags OSS-Fuzz's builder sets. It also adds -stdlib=libc++ to CXXFLAGS with its own,
# newer clang; here clang 14 builds against libstdc++ (Debian's libc++ 14 lacks <memory_resource>).
common_flags="-O1 -fno-omit-frame-pointer -gline-tables-only"
address_flags="-fsanitize=address -fsanitize-address-use-after-scope"
ubsan_checks="array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr"
# Unsigned overflow is reported but recoverable (and silenced at run time), as OSS-Fuzz does.
ubsan_fatal="${ubsan_checks/,unsigned-integer-overflow/}"
undefined_flags="-fsanitize=$ubsan_checks -fno-sanitize-recover=$ubsan_fatal"

# Run-time options close to the ones OSS-Fuzz runs targets with.
asan_options="alloc_dealloc_mismatch=0:allocator_may_return_null=1:check_malloc_usable_size=0"
asan_options+=":detect_leaks=1:detect_stack_use_after_return=1:detect_odr_violation=0"
asan_options+=":handle_abort=1:handle_segv=1:handle_sigill=1:strict_memcmp=1:symbolize=1"
asan_options+=":use_sigaltstack=1:dedup_token_length=3:print_summary=1"
ubsan_options="halt_on_error=1:print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1"
ubsan_options+=":symbolize=1:dedup_token_length=3"

# The targets build.sh must produce: one per fuzzers/*_fuzzer.cc, whatever exists now, except
# empty_fuzzer (ci/fuzz.sh's floor, never shipped): if it turns up in $OUT it reads as unexpected.
shopt -s nullglob
expected=()
for source in fuzzers/*_fuzzer.cc; do
  [[ "$(basename "$source" .cc)" == empty_fuzzer ]] && continue
  expected+=("$(basename "$source" .cc)")
done
shopt -u nullglob
if ((${#expected[@]} == 0)); then
  echo "no fuzzers/*_fuzzer.cc: nothing to check" >&2
  exit 1
fi

# Copies what `docker build` would: the tracked files and the untracked ones git doesn't ignore
# (fuzz targets and corpora being written count), never build/.
stage_project() {
  local dest="$1" path
  mkdir -p "$dest"
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$repo" ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' path; do
        [[ -e "$path" || -L "$path" ]] && printf '%s\0' "$path"
      done |
      tar --null -T - -cf - | tar -C "$dest" -xf -
  else
    tar --exclude=./build --exclude=./out --exclude=./.git -cf - . | tar -C "$dest" -xf -
  fi
}

# libFuzzer flags from the [libfuzzer] section of a .options file, one per line.
libfuzzer_options() {
  awk '
    /^[ \t]*\[/ { section = $0; gsub(/[][ \t]/, "", section); next }
    section == "libfuzzer" && /=/ {
      line = $0; sub(/[ \t]*#.*/, "", line)
      key = line; sub(/[ \t]*=.*/, "", key); gsub(/^[ \t]+/, "", key)
      value = line; sub(/^[^=]*=[ \t]*/, "", value); sub(/[ \t]+$/, "", value)
      if (key != "") print "-" key "=" value
    }' "$1"
}

# Byte count of an ELF section, 0 when absent.
section_size() {
  local size
  size="$(readelf -SW "$1" | awk -v s="$2" '$2 == s { print $6; exit } $3 == s { print $7; exit }')"
  echo $((16#${size:-0}))
}

declare -a table=()
failures=0

record() {  # target combination runs seeds instrumented linkage extras result
  table+=("$(printf '%s\t' "$@")")
  [[ "${*: -1}" == PASS ]] || failures=$((failures + 1))
}

for combination in "${combinations[@]}"; do
  root="$repo/build/oss-fuzz/$combination"
  src="$root/src" work="$root/work" out="$root/out" logs="$root/logs"
  rm -rf "$root"
  mkdir -p "$src" "$work" "$out" "$logs"
  stage_project "$src/smapi"
  cp ci/oss-fuzz/build.sh "$src/build.sh"

  case "$combination" in
    libfuzzer-address)
      engine=libfuzzer sanitizer=address cc=clang cxx=clang++
      flags="$common_flags $address_flags -fsanitize=fuzzer-no-link"
      lib_fuzzing_engine="-fsanitize=fuzzer"
      ;;
    libfuzzer-undefined)
      engine=libfuzzer sanitizer=undefined cc=clang cxx=clang++
      flags="$common_flags $undefined_flags -fsanitize=fuzzer-no-link"
      lib_fuzzing_engine="-fsanitize=fuzzer"
      ;;
    afl-address)
      engine=afl sanitizer=address cc=afl-clang-fast cxx=afl-clang-fast++
      flags="$common_flags $address_flags"
      lib_fuzzing_engine="$(dpkg -L afl++ | grep '/libAFLDriver\.a$' | head -n1)"
      if [[ ! -f "$lib_fuzzing_engine" ]]; then
        echo "afl++ is installed but ships no libAFLDriver.a" >&2
        exit 1
      fi
      ;;
  esac

  echo "== $combination: building (log: ${logs#"$repo"/}/build.log)"
  # Only the builder's variables, plus PATH and HOME: build.sh must not need anything else.
  if ! (cd "$src/smapi" && env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
    CC="$cc" CXX="$cxx" CFLAGS="$flags" CXXFLAGS="$flags" \
    LIB_FUZZING_ENGINE="$lib_fuzzing_engine" SRC="$src" WORK="$work" OUT="$out" \
    bash -eu "$src/build.sh") >"$logs/build.log" 2>&1; then
    tail -n 30 "$logs/build.log" >&2
    for target in "${expected[@]}"; do
      record "$target" "$combination" - - - - - "FAIL (build.sh failed)"
    done
    continue
  fi

  if [[ "$sanitizer" == address ]]; then
    run_env=(ASAN_OPTIONS="$asan_options")
  else
    run_env=(UBSAN_OPTIONS="$ubsan_options")
  fi

  for target in "${expected[@]}"; do
    binary="$out/$target"
    problems=()
    if [[ ! -x "$binary" ]]; then
      record "$target" "$combination" - - - - - "FAIL (not in \$OUT)"
      continue
    fi
    echo "== $combination: $target"

    # --- extras: dict and options exactly when the source tree has them.
    extras=()
    for extra in dict options; do
      if [[ -e "fuzzers/$target.$extra" ]]; then
        if cmp -s "fuzzers/$target.$extra" "$out/$target.$extra"; then
          extras+=("$extra")
        else
          problems+=("$extra not copied")
          extras+=("$extra:MISSING")
        fi
      elif [[ -e "$out/$target.$extra" ]]; then
        problems+=("stray $extra")
      fi
    done
    extras_cell="${extras[*]:-none}"
    extras_cell="${extras_cell// /+}"

    # --- linkage: nothing loaded from the build or source tree.
    if ldd "$binary" >"$logs/$target.ldd" 2>&1 && ! grep -qE "$root|$repo|not found" "$logs/$target.ldd"; then
      linkage="static"
    else
      linkage="FAIL"
      problems+=("links against non-system libraries")
    fi

    # --- instrumented, part 1: edges compiled in, and the sanitizer runtime.
    nm "$binary" >"$logs/$target.nm" 2>/dev/null || true
    if [[ "$engine" == libfuzzer ]]; then
      edges=$(($(section_size "$binary" __sancov_pcs) / 16))
    else
      edges=$(($(section_size "$binary" __sancov_guards) / 4))
      grep -q ' __afl_area_ptr$' "$logs/$target.nm" || problems+=("no AFL++ runtime")
    fi
    ((edges > 0)) || problems+=("no coverage instrumentation")
    if [[ "$sanitizer" == address ]]; then
      grep -q ' __asan_init$' "$logs/$target.nm" || problems+=("no ASan runtime")
    else
      grep -q ' __ubsan_handle_' "$logs/$target.nm" || problems+=("no UBSan runtime")
      grep -q ' __asan_init$' "$logs/$target.nm" && problems+=("ASan in a UBSan build")
    fi

    # --- runs without a corpus.
    runs_cell="FAIL"
    seen=0
    if [[ "$engine" == libfuzzer ]]; then
      options=()
      if [[ -e "$out/$target.options" ]]; then
        mapfile -t options < <(libfuzzer_options "$out/$target.options")
      fi
      if [[ -e "$out/$target.dict" ]] && ! printf '%s\n' "${options[@]}" | grep -q '^-dict='; then
        options+=("-dict=$target.dict")
      fi
      if (cd "$out" && env "${run_env[@]}" timeout 300 "./$target" -runs="$runs" -seed=1 \
        "${options[@]}") >"$logs/$target.runs.log" 2>&1 &&
        grep -q "^Done $runs runs" "$logs/$target.runs.log"; then
        runs_cell="Done $runs runs"
      else
        problems+=("no 'Done $runs runs'")
      fi
      seen="$(sed -n 's/.*\(INITED\|DONE\) *cov: \([0-9]*\).*/\2/p' "$logs/$target.runs.log" | tail -n1)"
      instrumented="$edges edges, cov ${seen:-0}"
    else
      # Debian's 4.04c driver: files named on argv run once each ("Execution successful."),
      # '-' reads stdin; it neither reads folders nor takes libFuzzer flags, and it skips empty
      # inputs. So the inputs are files: short text and random bytes of growing size.
      inputs="$work/inputs-$target"
      rm -rf "$inputs"
      mkdir -p "$inputs"
      for ((i = 1; i <= runs; i++)); do
        if ((i % 2)); then
          head -c $((i * 7)) /dev/urandom >"$inputs/$i"
        else
          printf 'smapi %d %s\n' "$i" "$(head -c $((i * 3)) /dev/zero | tr '\0' 'A')" >"$inputs/$i"
        fi
      done
      if (cd "$out" && env "${run_env[@]}" AFL_DRIVER_DONT_DEFER=1 timeout 300 "./$target" \
        "$inputs"/*) >"$logs/$target.runs.log" 2>&1; then
        done_runs="$(grep -c '^Execution successful\.' "$logs/$target.runs.log" || true)"
      else
        done_runs=-1
      fi
      if ((done_runs == runs)); then
        echo "Done $done_runs runs" >>"$logs/$target.runs.log"
      else
        problems+=("driver ran $done_runs of $runs inputs")
      fi
      # A short real session: afl-fuzz itself refuses a target without instrumentation.
      dict_args=()
      [[ -e "$out/$target.dict" ]] && dict_args=(-x "$out/$target.dict")
      rm -rf "$work/afl-$target" "$work/afl-in-$target"
      mkdir -p "$work/afl-in-$target"
      cp "$inputs"/* "$work/afl-in-$target/"
      (cd "$out" && env -u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 \
        AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
        timeout 120 afl-fuzz -i "$work/afl-in-$target" -o "$work/afl-$target" -m none -t 2000 \
        -E "$afl_execs" -V 30 "${dict_args[@]}" -- "./$target") >"$logs/$target.afl-fuzz.log" 2>&1 || true
      stats="$work/afl-$target/default/fuzzer_stats"
      afl_done="$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$stats" 2>/dev/null || true)"
      afl_crashes="$(awk -F' *: *' '$1 == "saved_crashes" { print $2 }' "$stats" 2>/dev/null || true)"
      if grep -q "All set and ready to roll" "$logs/$target.afl-fuzz.log" && ((${afl_done:-0} > 0)); then
        echo "afl-fuzz: Done $afl_done runs" >>"$logs/$target.afl-fuzz.log"
      else
        problems+=("afl-fuzz did not run (see $target.afl-fuzz.log)")
      fi
      ((${afl_crashes:-0} == 0)) || problems+=("afl-fuzz found $afl_crashes crashes in $work/afl-$target")
      ((done_runs == runs)) && runs_cell="Done $done_runs runs; afl-fuzz ${afl_done:-0}"
      # Instrumented, part 2: coverage seen at run time.
      seen="$(cd "$out" && env -u ASAN_OPTIONS afl-showmap -m none -t 5000 -o "$work/map-$target" \
        -- "./$target" "$inputs/1" 2>&1 | sed -n 's/.*Captured \([0-9]*\) tuples.*/\1/p' | tail -n1)"
      instrumented="$edges edges, ${seen:-0} tuples"
    fi
    ((${seen:-0} > 0)) || problems+=("no coverage seen at run time")
    ((${#problems[@]} == 0)) || instrumented="$instrumented (!)"

    # --- seeds: every file of the seed corpus zip, one by one.
    zip_path="$out/${target}_seed_corpus.zip"
    seeds_cell="none"
    if [[ -f "$zip_path" ]]; then
      seeds="$work/seeds-$target"
      rm -rf "$seeds"
      mkdir -p "$seeds"
      unzip -q -o "$zip_path" -d "$seeds"
      total="$(find "$seeds" -type f | wc -l)"
      skipped=0
      if [[ "$engine" == libfuzzer ]]; then
        marker='^Executed '
        replay=(timeout 600 "./$target")
        find_args=(-type f)
      else
        # The AFL++ driver never runs an empty input (nor does afl-fuzz make one): count them
        # as skipped rather than replayed.
        marker='^Execution successful\.'
        replay=(env AFL_DRIVER_DONT_DEFER=1 timeout 600 "./$target")
        find_args=(-type f -size +0)
        skipped="$(find "$seeds" -type f -empty | wc -l)"
      fi
      expected_replays=$((total - skipped))
      if ((expected_replays == 0)); then
        replayed=0
        : >"$logs/$target.seeds.log"
      elif (cd "$out" && find "$seeds" "${find_args[@]}" -print0 | sort -z |
        env "${run_env[@]}" xargs -0 -n 256 "${replay[@]}") >"$logs/$target.seeds.log" 2>&1; then
        replayed="$(grep -c "$marker" "$logs/$target.seeds.log" || true)"
      else
        replayed=-1
      fi
      if ((total > 0 && replayed == expected_replays)); then
        seeds_cell="$replayed/$total ok"
        ((skipped == 0)) || seeds_cell="$seeds_cell ($skipped empty skipped)"
      else
        seeds_cell="FAIL"
        summary="$(grep -m1 -E '^SUMMARY: |runtime error:|^==[0-9]+==ERROR' "$logs/$target.seeds.log" || true)"
        if ((replayed < 0)); then
          problems+=("seed replay failed: ${summary:-non-zero exit} (see $target.seeds.log)")
        else
          problems+=("seed replay ran $replayed of $expected_replays inputs (see $target.seeds.log)")
        fi
      fi
    else
      problems+=("no ${target}_seed_corpus.zip (corpus/$target missing or empty)")
    fi

    if ((${#problems[@]} == 0)); then
      result=PASS
    else
      result="FAIL ($(IFS=';'; echo "${problems[*]}"))"
    fi
    record "$target" "$combination" "$runs_cell" "$seeds_cell" "$instrumented" "$linkage" \
      "$extras_cell" "$result"
  done

  # Anything executable in $OUT that no fuzzers/*_fuzzer.cc accounts for is a stale target.
  for binary in "$out"/*; do
    name="$(basename "$binary")"
    if [[ -f "$binary" && -x "$binary" && " ${expected[*]} " != *" $name "* ]]; then
      record "$name" "$combination" - - - - - "FAIL (unexpected executable in \$OUT)"
    fi
  done
done

echo
{
  printf 'target\tcombination\truns\tseeds\tinstrumented\tlinkage\textras\tresult\n'
  printf '%s\n' "${table[@]}"
} | awk -F'\t' '
  { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > width[i]) width[i] = length($i) }
    if (NF > cols) cols = NF }
  END { for (r = 1; r <= NR; r++) { line = ""
          for (i = 1; i <= cols; i++) line = line sprintf("%-" width[i] + 2 "s", cell[r, i])
          sub(/ +$/, "", line); print line } }'
echo
if ((failures > 0)); then
  echo "check.sh: $failures failing target/combination pairs (logs under build/oss-fuzz/*/logs)"
  exit 1
fi
echo "check.sh: all ${#table[@]} target/combination pairs pass"
