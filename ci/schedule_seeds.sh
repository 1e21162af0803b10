#!/usr/bin/env bash
# Finds, for each race planted bug, a schedule_fuzzer input that catches it: applies the bug to a
# scratch copy of the tree, builds schedule_explore (asan preset), and prints the input the
# exhaustive mode reports for the first failing schedule. The race seeds in fuzzers/make_seeds.py
# (SCHEDULE) came from here; their decision bytes depend on where the scheduling points sit, so
# rerun this after moving points and copy the decisions over.
#
#   ci/schedule_seeds.sh [PLANTED-BUG...]   default: 08 11 20 21
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

ci/install_deps.sh cmake ninja-build clang libclang-rt-14-dev patch

bugs=("$@")
((${#bugs[@]} > 0)) || bugs=(08 11 20 21)
work=$repo/build/schedule-seeds
for bug in "${bugs[@]}"; do
  patches=(ci/mutants/"$bug"-*.patch)
  [ -f "${patches[0]}" ] || { echo "no planted bug $bug" >&2; exit 2; }
  tree=$work/$bug
  rm -rf "$tree"
  mkdir -p "$tree"
  git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree"
  patch -s -p1 -d "$tree" <"${patches[0]}"
  cmake -S "$tree" -B "$tree/build" --preset asan -DSMAPI_WERROR=OFF >/dev/null
  cmake --build "$tree/build" -j "$(nproc)" --target schedule_explore >"$tree/build.log" 2>&1 ||
    { tail -20 "$tree/build.log"; exit 1; }
  found=$("$tree/build/fuzzers/schedule_explore" 2>&1 | sed -n 's/^replay: //p' | head -1 || true)
  echo "$(basename "${patches[0]}" .patch): ${found:-NOT CAUGHT by the exhaustive mode}"
done
