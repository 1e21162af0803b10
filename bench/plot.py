#!/usr/bin/env python3
"""Draws ns per lookup against table size and against threads from smapi_bench's JSON.

  python3 bench/plot.py build/bench/results.json build/bench/lookup.png [--metric real|cpu]

Left: lookup_hit with one thread, one line per implementation, against live sessions. Right:
lookup_hit per thread against the number of threads at the largest size measured, with smapi's
lookup_hit_churn dashed. Needs python3-matplotlib.
"""

import argparse
import sys

sys.dont_write_bytecode = True  # No __pycache__ in the source tree.

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import results  # noqa: E402

STYLE = {
    "smapi": dict(color="tab:red", marker="o", linewidth=2.5),
    "floor_array": dict(color="black", marker="s", linestyle=":"),
    "mutex_unordered_map": dict(color="tab:blue", marker="^"),
    "shared_mutex_unordered_map": dict(color="tab:cyan", marker="v"),
    "absl_flat_hash_map": dict(color="tab:green", marker="D"),
    "tbb_concurrent_hash_map": dict(color="tab:purple", marker="P"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json")
    parser.add_argument("png")
    parser.add_argument("--metric", choices=["real", "cpu"], default="real")
    args = parser.parse_args()
    context, values, repetitions = results.load(args.json, args.metric)
    sizes = results.sizes(values)
    threads = results.thread_counts(values)
    if not sizes:
        print(f"no smapi_bench results in {args.json}", file=sys.stderr)
        return 1

    fig, (by_size, by_threads) = plt.subplots(1, 2, figsize=(13, 5.2))
    for impl in results.IMPLEMENTATIONS:
        xs = [s for s in sizes if ("lookup_hit", impl, s, 1) in values]
        if xs:
            by_size.plot(xs, [values[("lookup_hit", impl, s, 1)] for s in xs], label=impl,
                         **STYLE[impl])
    by_size.set_xscale("log", base=2)
    by_size.set_yscale("log")
    by_size.set_xticks(sizes, [f"{s:,}" for s in sizes])
    by_size.set_xlabel("live sessions")
    by_size.set_ylabel(f"ns per lookup ({args.metric} time)")
    by_size.set_title("lookup_hit, 1 thread")
    by_size.grid(True, which="both", alpha=0.3)
    by_size.legend(fontsize=8)

    largest = max(sizes)
    for impl in results.IMPLEMENTATIONS:
        xs = [t for t in threads if ("lookup_hit", impl, largest, t) in values]
        if xs:
            by_threads.plot(xs, [values[("lookup_hit", impl, largest, t)] for t in xs], label=impl,
                            **STYLE[impl])
    xs = [t for t in threads if ("lookup_hit_churn", "smapi", largest, t) in values]
    if xs:
        by_threads.plot(xs, [values[("lookup_hit_churn", "smapi", largest, t)] for t in xs],
                        label="smapi, lookup_hit_churn", color="tab:red", marker="o",
                        linestyle="--", alpha=0.6)
    by_threads.set_xscale("log", base=2)
    by_threads.set_yscale("log")
    by_threads.set_xticks(threads, [str(t) for t in threads])
    by_threads.set_xlabel("threads")
    by_threads.set_ylabel(f"ns per lookup per thread ({args.metric} time)")
    by_threads.set_title(f"lookup_hit, {largest:,} sessions: flat = scales")
    by_threads.grid(True, which="both", alpha=0.3)
    by_threads.legend(fontsize=8)

    how = f"median of {repetitions}" if repetitions > 1 else "1 run"
    fig.suptitle(f"smapi session lookup vs baselines ({context.get('num_cpus', '?')} CPUs, "
                 f"{context.get('mhz_per_cpu', '?')} MHz, {how}; lower is better)")
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
