#!/usr/bin/env python3
"""Prints smapi's time per call against floor_array and mutex_unordered_map, then the issue's goals.

  python3 bench/ratios.py build/bench/results.json [--metric real|cpu]

The goals are reported, never asserted: the exit status is 0 whatever the numbers say.
"""

import argparse
import sys

sys.dont_write_bytecode = True  # No __pycache__ in the source tree.

import results


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def table(values):
    rows = []
    for op in results.OPERATIONS:
        for sessions in results.sizes(values):
            for threads in results.thread_counts(values):
                smapi = values.get((op, "smapi", sessions, threads))
                if smapi is None:
                    continue
                floor = values.get((op, "floor_array", sessions, threads))
                mutex = values.get((op, "mutex_unordered_map", sessions, threads))
                rows.append((op, sessions, threads, smapi, floor,
                             smapi / floor if floor else None, mutex,
                             mutex / smapi if mutex else None))
    header = ("operation", "sessions", "threads", "smapi ns", "floor ns", "smapi/floor",
              "mutex ns", "mutex/smapi")
    widths = [16, 8, 7, 9, 9, 11, 9, 11]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for op, sessions, threads, smapi, floor, vs_floor, mutex, vs_mutex in rows:
        cells = (op, str(sessions), str(threads), fmt(smapi), fmt(floor), fmt(vs_floor),
                 fmt(mutex, 1), fmt(vs_mutex, 1))
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))


def best(runs, key):
    """The fastest repetition: noise on a shared machine only ever adds time."""
    times = runs.get(key, [])
    return min(times) if len(times) > 1 else None


def goals(values, runs):
    """Yields (met: bool|None, text) for each goal of issue 4. None: not enough data."""
    threads = results.thread_counts(values)
    top = max(threads) if threads else 1
    for sessions in results.sizes(values):
        smapi = values.get(("lookup_hit", "smapi", sessions, 1))
        floor = values.get(("lookup_hit", "floor_array", sessions, 1))
        if smapi and floor:
            ratio = smapi / floor
            b_smapi = best(runs, ("lookup_hit", "smapi", sessions, 1))
            b_floor = best(runs, ("lookup_hit", "floor_array", sessions, 1))
            fastest = (f"; fastest repetitions {b_smapi / b_floor:.2f}x ({b_smapi:.2f} vs "
                       f"{b_floor:.2f} ns)" if b_smapi and b_floor else "")
            yield ratio <= 1.5, (f"lookup_hit/smapi <= 1.5x floor_array, {sessions} sessions, 1 thread: "
                                 f"{ratio:.2f}x ({smapi:.2f} vs {floor:.2f} ns{fastest})")
    smapi = values.get(("lookup_hit", "smapi", 1048576, 1))
    mutex = values.get(("lookup_hit", "mutex_unordered_map", 1048576, 1))
    if smapi and mutex:
        ratio = mutex / smapi
        yield ratio >= 5, (f"lookup_hit/smapi >= 5x faster than mutex_unordered_map, 1048576 sessions, "
                           f"1 thread: {ratio:.1f}x ({smapi:.2f} vs {mutex:.1f} ns)")
    if top > 1:
        for sessions in results.sizes(values):
            one = values.get(("lookup_hit", "smapi", sessions, 1))
            many = values.get(("lookup_hit", "smapi", sessions, top))
            if one and many:
                growth = many / one
                # The floor writes nothing shared either: how much it grows is what the machine
                # itself adds (other load, shared caches, memory bandwidth).
                f1 = values.get(("lookup_hit", "floor_array", sessions, 1))
                fn = values.get(("lookup_hit", "floor_array", sessions, top))
                floor_growth = f"; floor_array {fn / f1:.2f}x" if f1 and fn else ""
                yield growth <= 1.25, (f"lookup_hit/smapi per-thread time flat (<= 1.25x), {sessions} "
                                       f"sessions, 1 -> {top} threads: {growth:.2f}x "
                                       f"({one:.2f} -> {many:.2f} ns{floor_growth})")
            m1 = values.get(("lookup_hit", "mutex_unordered_map", sessions, 1))
            mn = values.get(("lookup_hit", "mutex_unordered_map", sessions, top))
            if one and many and m1 and mn:
                gap1, gapn = m1 / one, mn / many
                yield gapn > gap1, (f"gap to mutex_unordered_map wider with threads, {sessions} sessions: "
                                    f"{gap1:.1f}x at 1 thread, {gapn:.1f}x at {top}")
    for sessions in results.sizes(values):
        for t in threads:
            hit = values.get(("lookup_hit", "smapi", sessions, t))
            churn = values.get(("lookup_hit_churn", "smapi", sessions, t))
            if hit and churn:
                ratio = churn / hit
                # The floor's writers store into the same slots in the same order: how much the
                # floor slows is what that churn costs a reader on this machine.
                f_hit = values.get(("lookup_hit", "floor_array", sessions, t))
                f_churn = values.get(("lookup_hit_churn", "floor_array", sessions, t))
                floor_ratio = f"; floor_array {f_churn / f_hit:.2f}x" if f_hit and f_churn else ""
                yield ratio <= 2, (f"lookup_hit_churn/smapi <= 2x lookup_hit/smapi, {sessions} sessions, "
                                   f"{t} thread(s): {ratio:.2f}x ({churn:.2f} vs {hit:.2f} ns"
                                   f"{floor_ratio})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json")
    parser.add_argument("--metric", choices=["real", "cpu"], default="real")
    args = parser.parse_args()
    context, values, repetitions, runs = results.load_with_runs(args.json, args.metric)
    if not values:
        print(f"no smapi_bench results in {args.json}", file=sys.stderr)
        return 1
    how = f"median of {repetitions} repetitions" if repetitions > 1 else "one run each"
    print(f"ns per call per thread ({args.metric} time, {how}); "
          f"{context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
          f"load average {', '.join(f'{x:.2f}' for x in context.get('load_avg', []))}")
    print()
    table(values)
    print()
    print("goals (issue 4; reported, not asserted):")
    for met, text in goals(values, runs):
        print(f"  [{'met ' if met else 'MISS'}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
