#!/usr/bin/env bash
# The test command: lints the harness's shell and YAML (ci/lint.sh), builds the default (system
# compiler) and asan (clang ASan+UBSan) presets and runs every test in both, the corpus replay
# included, then holds every seed to its description (fuzzers/make_seeds.py --check), and builds
# and briefly runs the benchmarks (ci/bench.sh), whose fixtures check what each set of handles
# means in every implementation. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install_deps.sh cmake ninja-build g++ clang libclang-rt-14-dev libgtest-dev libgmock-dev \
  binutils python3

echo "=== lint: shellcheck and yamllint"
ci/lint.sh

jobs=$(nproc)
for preset in default asan; do
  echo "=== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== ${preset}: test"
  ctest --preset "$preset" -j "$jobs"
done

echo "=== seeds: corpus/ up to date, every seed decoding to what fuzzers/make_seeds.py says it is"
python3 fuzzers/make_seeds.py --check --build build/default

# Not a timing: a run of every benchmark at 1024 sessions, 20 ms each, so that ci/bench.sh and its
# scripts keep working, and so that a change under which a live handle stops resolving, or a stale,
# forged or random one resolves, in any implementation, fails here (the fixtures abort on either).
echo "=== bench: build, and every benchmark once at 1024 sessions (output: build/bench-smoke.log)"
if ! ci/bench.sh --quick --filter '/1024/' --json build/bench/smoke.json >build/bench-smoke.log 2>&1
then
  cat build/bench-smoke.log
  exit 1
fi
echo "bench: ok"
