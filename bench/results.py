"""Reads a Google Benchmark JSON file from smapi_bench into per-thread nanoseconds per call.

Shared by ratios.py and plot.py. Standard library only.

Every benchmark is named <operation>/<implementation>/<sessions>/threads:<N>. With repetitions the
file holds each run plus aggregates; the median aggregate is used. Without, the single run is used
(or the median of several runs of one name).

Time per call, per thread:
  real: wall time. Google Benchmark reports total wall time over the iterations of all threads,
        so the per-thread figure is real_time * threads. The default.
  cpu:  CPU time. Google Benchmark already reports CPU time summed over threads per iteration of
        all threads, which is per-thread CPU time per call. Robust to other load on a shared
        machine, but it hides time a thread spends asleep on a contended lock.
"""

import json
import re
import statistics

NAME = re.compile(r"^(?P<op>[a-z_]+)/(?P<impl>[a-z_]+)/(?P<sessions>\d+)/threads:(?P<threads>\d+)$")

OPERATIONS = ["lookup_hit", "lookup_miss", "lookup_stale", "lookup_forged", "lookup_hit_churn",
              "logon_logoff"]
IMPLEMENTATIONS = ["smapi", "floor_array", "mutex_unordered_map", "shared_mutex_unordered_map",
                   "absl_flat_hash_map", "tbb_concurrent_hash_map"]

_SCALE = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def _per_thread_ns(entry, metric):
    scale = _SCALE[entry.get("time_unit", "ns")]
    if metric == "cpu":
        return entry["cpu_time"] * scale
    return entry["real_time"] * scale * entry.get("threads", 1)


def _read(path, metric):
    """Returns (context, {key: median aggregate}, {key: [each run]}), in ns per call per thread."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    medians = {}
    runs = {}
    for entry in data.get("benchmarks", []):
        if entry.get("error_occurred"):
            continue
        name = entry.get("run_name", entry["name"])
        m = NAME.match(name)
        if not m:
            continue
        key = (m["op"], m["impl"], int(m["sessions"]), int(m["threads"]))
        if entry.get("run_type") == "aggregate":
            if entry.get("aggregate_name") == "median":
                medians[key] = _per_thread_ns(entry, metric)
        else:
            runs.setdefault(key, []).append(_per_thread_ns(entry, metric))
    return data.get("context", {}), medians, runs


def load_with_runs(path, metric="real"):
    """load(), plus {(op, impl, sessions, threads): [ns per call per thread of each repetition]}."""
    context, medians, runs = _read(path, metric)
    values = {key: statistics.median(times) for key, times in runs.items()}
    values.update(medians)
    repetitions = max((len(times) for times in runs.values()), default=0)
    return context, values, repetitions, runs


def load(path, metric="real"):
    """Returns (context, {(op, impl, sessions, threads): ns per call per thread}, repetitions)."""
    return load_with_runs(path, metric)[:3]


def sizes(values):
    return sorted({key[2] for key in values})


def thread_counts(values):
    return sorted({key[3] for key in values})
