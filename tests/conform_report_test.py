#!/usr/bin/env python3
"""Runs smapi-conform on a provider and checks its report row by row.

  conform_report_test.py RUNNER PROVIDER CONTRACT_MD [ID=VERDICT[:TEXT]...] [-- RUNNER_ARGS...]

Every row of docs/contract.md must appear exactly once, in the contract's order (no row lost to a
crash or a hang); each ID=VERDICT row must have that verdict, with TEXT in what was observed; all
other rows must pass or be not observable; the exit status must be 0 exactly when no row failed,
crashed or hung.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BAD = {"fail", "crashed", "hung"}


def main():
    args = sys.argv[1:]
    runner_args = []
    if "--" in args:
        runner_args = args[args.index("--") + 1:]
        args = args[: args.index("--")]
    runner, provider, contract = args[:3]
    expected = {}
    for spec in args[3:]:
        row, verdict = spec.split("=", 1)
        verdict, _, text = verdict.partition(":")
        expected[row] = (verdict.replace("_", " "), text)

    with open(contract, encoding="utf-8") as f:
        contract_rows = re.findall(r"^\| ([A-Z]\d+[a-z]?) \|", f.read(), re.M)

    with tempfile.TemporaryDirectory() as tmp:
        report_path = os.path.join(tmp, "report.json")
        done = subprocess.run([runner, provider, "--json", report_path] + runner_args,
                              capture_output=True, text=True, timeout=600)
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)

    problems = []
    ids = [row["id"] for row in report["rows"]]
    if ids != contract_rows:
        problems.append(f"rows {ids} are not the contract's {contract_rows}")
    any_bad = False
    for row in report["rows"]:
        verdict, observed = row["verdict"], row["observed"]
        any_bad |= verdict in BAD
        want, text = expected.get(row["id"], (None, ""))
        if want is None:
            if verdict in BAD:
                problems.append(f"{row['id']}: {verdict} ({observed}), expected pass")
        elif verdict != want or text not in observed:
            problems.append(f"{row['id']}: {verdict} ({observed}), expected {want} {text}")
    for row in expected:
        if row not in ids:
            problems.append(f"{row}: missing from the report")
    if done.returncode != (1 if any_bad else 0):
        problems.append(f"exit status {done.returncode} with any_bad={any_bad}")
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
