#!/usr/bin/env bash
# The benchmark command (issue 4): builds the `bench` preset, runs every session-lookup benchmark
# into Google Benchmark JSON, prints smapi's ratios to the baselines and the goals, and draws
# build/bench/lookup.png. Installs what it misses with apt-get when run as root.
#
#   ci/bench.sh                 full run: 5 interleaved repetitions, medians; docs/lookup.png
#   ci/bench.sh --quick         a subset in under a minute: 1 repetition, short runs
#   ci/bench.sh --json FILE     where the JSON goes (default build/bench/results.json)
#   ci/bench.sh --filter REGEX  only the benchmarks whose name matches (Google Benchmark's filter)
#   ci/bench.sh --metric cpu    report CPU time instead of wall time
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
json=build/bench/results.json
filter=""
metric=real
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --json) json="$2"; shift ;;
    --json=*) json="${1#--json=}" ;;
    --filter) filter="$2"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    --metric) metric="$2"; shift ;;
    --metric=*) metric="${1#--metric=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ci/bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

ci/install_deps.sh cmake ninja-build g++ libbenchmark-dev libabsl-dev libtbb-dev python3 \
  python3-matplotlib

# Debian's interpreter, which python3-matplotlib installs into, even when another python3 comes
# first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=python3

echo "=== bench: configure and build"
cmake --preset bench >/dev/null
cmake --build --preset bench -j "$(nproc)"

args=(--benchmark_out="$json" --benchmark_out_format=json)
if [ "$quick" = 1 ]; then
  # The whole grid, every operation, implementation, size and thread count, but 20 ms a benchmark
  # and no repetitions: about half a minute on 2 cores, plus the build.
  args+=(--benchmark_min_time=0.02 --benchmark_repetitions=1)
else
  # Repetitions interleaved at random over the whole run, so that a burst of load on the shared
  # host lands on a few repetitions of many benchmarks rather than on all five of one: the medians
  # that the ratios compare are then taken over the same stretch of time.
  args+=(--benchmark_min_time=0.1 --benchmark_repetitions=5 --benchmark_display_aggregates_only=true
    --benchmark_enable_random_interleaving=true)
fi
[ -n "$filter" ] && args+=(--benchmark_filter="$filter")

mkdir -p "$(dirname "$json")"
echo "=== bench: run ($([ "$quick" = 1 ] && echo quick || echo full))"
start=$(date +%s)
build/bench/bench/smapi_bench "${args[@]}"
echo "=== bench: $(($(date +%s) - start)) s; results in $json"

echo "=== bench: ratios"
"$python" bench/ratios.py "$json" --metric "$metric"

echo "=== bench: plot"
"$python" bench/plot.py "$json" build/bench/lookup.png --metric "$metric"
if [ "$quick" = 0 ] && [ -z "$filter" ]; then
  # docs/benchmarks.md shows the picture of the last full run.
  cp build/bench/lookup.png docs/lookup.png
  echo "copied to docs/lookup.png"
fi
