#!/bin/bash
# Clang source-based coverage of src/ (the coverage preset: -fprofile-instr-generate
# -fcoverage-mapping, fuzz targets on the standalone driver), from two runs:
#   replay  every file under corpus/<target>/ through its fuzz target, which is what the fuzzers
#           reach on their own;
#   tests   every ctest test but the replay ones (unit, stress, ABI, install).
# Two merges: replay alone, and replay + tests. Prints the per-file summary of src/ for both,
# writes HTML reports, and then GATES: fails when the replay alone covers less than 98% of the
# lines of src/ (SMAPI_COVERAGE_MIN overrides the threshold), leaving out the lines the source marks
# "coverage: exempt", which only a defect or another platform can reach (ci/coverage_gate.py).
#
#   ci/coverage.sh
#
# Reports: build/coverage/html/index.html (replay + tests), build/coverage/html-replay/index.html
# (replay alone). SMAPI_COVERAGE_DIR=build/other builds and reports there instead.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

ci/install_deps.sh cmake ninja-build clang libclang-rt-14-dev llvm-14 libgtest-dev libgmock-dev \
  binutils python3

minimum="${SMAPI_COVERAGE_MIN:-98}"
dir="$(realpath -m "${SMAPI_COVERAGE_DIR:-build/coverage}")"
jobs="$(nproc)"

# The LLVM tools of clang's own version, so the profile formats agree.
major="$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n1)"
llvm_cov="llvm-cov-$major"
llvm_profdata="llvm-profdata-$major"
command -v "$llvm_cov" >/dev/null || llvm_cov=llvm-cov
command -v "$llvm_profdata" >/dev/null || llvm_profdata=llvm-profdata

echo "=== coverage: configure and build ($dir)"
cmake --preset coverage -B "$dir" >/dev/null
cmake --build "$dir" -j "$jobs"

profiles="$dir/profiles"
rm -rf "$profiles" "$dir/html" "$dir/html-replay"
mkdir -p "$profiles/replay" "$profiles/tests"

echo "=== coverage: replay every corpus file"
shopt -s nullglob
targets=()
for binary in "$dir"/fuzzers/*_fuzzer; do
  [[ -f "$binary" && -x "$binary" ]] && targets+=("$(basename "$binary")")
done
replayed_files=0
for target in "${targets[@]}"; do
  corpus="corpus/$target"
  count=0
  [[ -d "$corpus" ]] && count="$(find "$corpus" -type f | wc -l)"
  if ((count == 0)); then
    echo "  $target: no corpus/$target files: the fuzzers reach nothing through it here"
    continue
  fi
  # The standalone driver runs every file under the folder once, in a fixed order.
  LLVM_PROFILE_FILE="$profiles/replay/$target-%p.profraw" \
    "$dir/fuzzers/$target" "$corpus" | sed "s/^/  $target: /"
  replayed_files=$((replayed_files + count))
done
for corpus in corpus/*/; do
  name="$(basename "$corpus")"
  if [[ " ${targets[*]} " != *" $name "* ]]; then
    echo "  corpus/$name has no fuzz target: not replayed"
  fi
done
shopt -u nullglob

echo "=== coverage: tests"
LLVM_PROFILE_FILE="$profiles/tests/%p.profraw" \
  ctest --test-dir "$dir" -LE replay --no-tests=error -j "$jobs" >"$profiles/ctest.log" 2>&1 || {
  cat "$profiles/ctest.log"
  echo "coverage: the tests failed" >&2
  exit 1
}
tail -n 3 "$profiles/ctest.log"

# Every binary and shared library of the build that carries a coverage mapping.
objects=()
while IFS= read -r -d '' file; do
  if readelf -SW "$file" 2>/dev/null | grep -q '__llvm_covmap'; then
    objects+=("$file")
  fi
done < <(find "$dir" \( -path "$profiles" -o -name CMakeFiles \) -prune -o \
  -type f \( -perm -u+x -o -name '*.so*' \) -print0 | sort -z)
if ((${#objects[@]} == 0)); then
  echo "coverage: no instrumented binaries under $dir" >&2
  exit 1
fi
object_args=("${objects[0]}")
for object in "${objects[@]:1}"; do
  object_args+=(-object "$object")
done

# Every fuzz target defines its own LLVMFuzzerTestOneInput, and several binaries their own main:
# same names, different code, which llvm-cov reports as "functions have mismatched data". None of
# them is in src/, so the warning says nothing about the figures below and is dropped.
llvm_cov() {
  "$llvm_cov" "$@" 2> >(grep -v 'functions have mismatched data' | grep -v '^.\[0m$' >&2)
}

merge() {  # output.profdata folder...
  local output="$1" raws=()
  shift
  for folder in "$@"; do
    raws+=("$folder"/*.profraw)
  done
  "$llvm_profdata" merge -sparse "${raws[@]}" -o "$output"
}

summary() {  # profdata: "lines% branches% functions%", each "covered/total (pct)"
  llvm_cov export -summary-only -instr-profile "$1" "${object_args[@]}" "$repo/src" |
    python3 -c '
import json, sys
totals = json.load(sys.stdin)["data"][0]["totals"]
for kind in ("lines", "branches", "functions"):
    t = totals[kind]
    print("%s=%d/%d=%.2f" % (kind, t["covered"], t["count"], t["percent"]))'
}

shopt -s nullglob
replay_raws=("$profiles"/replay/*.profraw)
shopt -u nullglob
with_replay=0
if ((${#replay_raws[@]} > 0)); then
  merge "$profiles/replay.profdata" "$profiles/replay"
  merge "$profiles/all.profdata" "$profiles/replay" "$profiles/tests"
  with_replay=1
else
  merge "$profiles/all.profdata" "$profiles/tests"
fi

report() {  # title profdata html-folder
  echo
  echo "=== coverage of src/: $1"
  llvm_cov report -instr-profile "$2" "${object_args[@]}" "$repo/src"
  llvm_cov show -format=html -show-branches=count -show-line-counts-or-regions \
    -show-expansions -instr-profile "$2" -output-dir "$3" -project-title="smapi: $1" \
    "${object_args[@]}" "$repo/src" >/dev/null
}

report "corpus replay + tests" "$profiles/all.profdata" "$dir/html"
((with_replay)) && report "corpus replay alone" "$profiles/replay.profdata" "$dir/html-replay"

# The lines of src/ that no corpus file reaches, as ranges per file (what a new seed should hit),
# and the gate's own figure: lines of src/ less those the source marks "coverage: exempt"
# (ci/coverage_gate.py says which may be).
gate_lines() {  # profdata
  llvm_cov show -instr-profile "$1" "${object_args[@]}" "$repo/src" |
    python3 "$repo/ci/coverage_gate.py" "$repo"
}

describe() {  # title profdata
  local lines branches functions
  while IFS='=' read -r kind counts percent; do
    case "$kind" in
      lines) lines="$percent% ($counts)" ;;
      branches) branches="$percent% ($counts)" ;;
      functions) functions="$percent% ($counts)" ;;
    esac
  done < <(summary "$2")
  printf '  %-22s lines %-20s branches %-20s functions %s\n' "$1" "$lines" "$branches" \
    "$functions"
}

if ((with_replay)); then
  gate_lines "$profiles/replay.profdata" >"$profiles/gate.txt"
  echo
  echo "=== lines of src/ the corpus replay misses (exempt lines apart)"
  sed -n 's/^missed /  /p' "$profiles/gate.txt"
  echo "=== lines of src/ the gate leaves out (marked \"coverage: exempt\")"
  sed -n 's/^exempt \([^=]\)/  \1/p' "$profiles/gate.txt"
fi

echo
echo "=== coverage summary, src/ ($replayed_files corpus files over ${#targets[@]} targets)"
if ((with_replay)); then
  describe "corpus replay alone:" "$profiles/replay.profdata"
  replay_lines="$(sed -n 's/^lines=[^=]*=//p' "$profiles/gate.txt")"
  gate_counts="$(sed -n 's/^lines=\([^=]*\)=.*/\1/p' "$profiles/gate.txt")"
  exempt="$(sed -n 's/^exempt=//p' "$profiles/gate.txt")"
else
  echo "  corpus replay alone:   nothing replayed (no corpus files)"
  replay_lines=0
  gate_counts="0/0"
  exempt=0
fi
describe "replay + tests:" "$profiles/all.profdata"
echo "  HTML: $dir/html/index.html (replay + tests)"
((with_replay)) && echo "        $dir/html-replay/index.html (replay alone)"

if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" \
  "$replay_lines" "$minimum"; then
  echo "=== coverage gate: PASS (corpus replay alone covers $replay_lines% ($gate_counts) of the lines of src/, $exempt exempt lines left out; minimum $minimum%)"
else
  echo "=== coverage gate: FAIL (corpus replay alone covers $replay_lines% ($gate_counts) of the lines of src/, $exempt exempt lines left out; minimum $minimum%)"
  exit 1
fi
