#!/usr/bin/env python3
"""Compiles every reproducer in smapi-conform JSON reports and runs it twice: against the provider
it was found on, where it must fail (exit 1, or die of a signal), and against a reference
provider, where it must pass (exit 0). Prints a Markdown table; exits 1 if any misbehaves.

  conform/check_reproducers.py WORK_DIR REFERENCE.so NAME=REPORT.json ...

Findings the runner could not reproduce every time (a provider with random handles that broke a
row now and then) are listed but not run.
"""
import json
import os
import re
import subprocess
import sys


def run(binary, library):
    try:
        done = subprocess.run([binary, library], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "hung", ""
    if done.returncode < 0:
        return f"signal {-done.returncode}", done.stdout.strip()
    return f"exit {done.returncode}", done.stdout.strip()


def main():
    work, reference = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    print("| provider | row | operations | against it | against libsmapi.so | verdict |")
    print("|---|---|---|---|---|---|")
    bad = 0
    for spec in sys.argv[3:]:
        name, _, path = spec.partition("=")
        try:
            with open(path, encoding="utf-8") as f:
                report = json.load(f)
        except (OSError, ValueError):
            continue
        for finding in (report.get("random") or {}).get("findings", []):
            row = finding["row"]
            cells = f"| {name} | {row} | {finding['shortest_length']} |"
            if finding["observed"].startswith("not reproducible"):
                print(f"{cells} - | - | not reproducible (random handles) |")
                continue
            stem = os.path.join(work, name + "-" + re.sub(r"[^A-Za-z0-9]+", "-", row).strip("-"))
            with open(stem + ".c", "w", encoding="utf-8") as f:
                f.write(finding["reproducer"])
            built = subprocess.run(["cc", "-o", stem, stem + ".c", "-ldl"], capture_output=True,
                                   text=True)
            if built.returncode != 0:
                print(f"{cells} - | - | DOES NOT COMPILE |")
                bad += 1
                continue
            mine, mine_out = run(stem, report["provider"])
            theirs, _ = run(stem, reference)
            ok = mine != "exit 0" and mine != "exit 2" and theirs == "exit 0"
            bad += not ok
            shown = f"{mine}: {mine_out.splitlines()[-1]}" if mine_out else mine
            print(f"{cells} {shown} | {theirs} | {'ok' if ok else 'WRONG'} |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
