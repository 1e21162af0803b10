#!/usr/bin/env python3
"""The coverage gate's line count: reads `llvm-cov show` text for src/ on stdin and prints the
lines of src/ that no run reached, then the gate's figure, leaving out the lines the source marks
as exempt.

  llvm-cov show ... src | coverage_gate.py ROOT

A line is exempt when it carries "coverage: exempt" in a comment, or lies between a line with
"coverage: exempt begin" and one with "coverage: exempt end". The rule (docs/sanitizers.md): only
lines that no correct provider on this platform can reach, namely the failure returns of
CheckInvariants(), which only a broken table takes, and code that only Windows runs. Every
exemption says why beside it.

Output: "missed FILE: RANGES" lines, "exempt FILE: RANGES" lines, then
"lines=COVERED/TOTAL=PERCENT" (exempt lines in neither count) and "exempt=N".
"""
import re
import sys

LINE = re.compile(r"^ *(\d+)\|\s*([0-9.]+[kMG]?)?\|")


def count(text):
    """llvm-cov's counts may read 1.23k, 4.5M."""
    scale = {"k": 1e3, "M": 1e6, "G": 1e9}
    return float(text[:-1]) * scale[text[-1]] if text[-1] in scale else float(text)


def exempt_lines(path):
    exempt, inside = set(), False
    with open(path, encoding="utf-8", errors="replace") as source:
        for number, line in enumerate(source, 1):
            if "coverage: exempt begin" in line:
                inside = True
            if inside or "coverage: exempt" in line:
                exempt.add(number)
            if "coverage: exempt end" in line:
                inside = False
    return exempt


def ranges(numbers):
    out, start, last = [], None, None
    for n in sorted(numbers):
        if start is not None and n == last + 1:
            last = n
            continue
        if start is not None:
            out.append(str(start) if start == last else f"{start}-{last}")
        start = last = n
    if start is not None:
        out.append(str(start) if start == last else f"{start}-{last}")
    return ", ".join(out)


def main(root):
    root = root.rstrip("/") + "/"
    files = {}  # path -> {line: count}
    current = None
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.startswith("/") and line.endswith(":"):
            current = files.setdefault(line[:-1], {})
            continue
        m = LINE.match(line)
        if m and current is not None and m.group(2):
            n = int(m.group(1))
            # A line shown twice (expansions, instantiations) counts once, reached if any reached.
            current[n] = max(current.get(n, 0), count(m.group(2)))
    covered = total = exempt_total = 0
    for path in sorted(files):
        exempt = exempt_lines(path)
        name = path[len(root):] if path.startswith(root) else path
        missed = [n for n, c in files[path].items() if c == 0 and n not in exempt]
        skipped = [n for n in files[path] if n in exempt]
        counted = [n for n in files[path] if n not in exempt]
        total += len(counted)
        covered += len(counted) - len(missed)
        exempt_total += len(skipped)
        if missed:
            print(f"missed {name}: {ranges(missed)}")
        if skipped:
            print(f"exempt {name}: {ranges(skipped)}")
    percent = 100.0 * covered / total if total else 0.0
    print(f"lines={covered}/{total}={percent:.2f}")
    print(f"exempt={exempt_total}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stdout.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
