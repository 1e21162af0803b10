#!/usr/bin/env python3
"""A provider smapi-conform cannot load gets one line on stderr and exit status 2, never a crash.

  conform_load_errors_test.py RUNNER NO_EXPORT_LIBRARY
"""
import os
import subprocess
import sys
import tempfile


def main():
    runner, no_export = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as tmp:
        not_library = os.path.join(tmp, "libnot-a-library.so")
        with open(not_library, "w", encoding="utf-8") as f:
            f.write("this is text, not a shared library\n")
        cases = {
            "missing file": (os.path.join(tmp, "no-such-provider.so"), "no such file"),
            "a folder": (tmp, "not a regular file"),
            "not a library": (not_library, "not a loadable shared library"),
            "missing export": (no_export, "does not export MAPILogoff"),
        }
        failed = False
        for name, (path, words) in cases.items():
            done = subprocess.run([runner, path], capture_output=True, text=True, timeout=60)
            lines = done.stderr.splitlines()
            ok = (done.returncode == 2 and done.stdout == "" and len(lines) == 1
                  and words in lines[0] and path in lines[0])
            print(f"{name}: exit {done.returncode}, stderr {done.stderr!r}: {'ok' if ok else 'FAILED'}")
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
