#!/usr/bin/env python3
"""Runs a fuzz target that must report a finding: it must end unsuccessfully (a check aborts it)
and its output must match REGEX.

  expect_finding.py REGEX COMMAND [ARGS...]
"""
import re
import subprocess
import sys


def main():
    pattern, command = sys.argv[1], sys.argv[2:]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    sys.stdout.write(output)
    if done.returncode == 0:
        print("FAILED: the target reported nothing (exit status 0)")
        return 1
    if not re.search(pattern, output):
        print(f"FAILED: exit status {done.returncode}, but no output matches {pattern!r}")
        return 1
    print(f"ok: exit status {done.returncode}, finding reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
