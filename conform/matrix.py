#!/usr/bin/env python3
"""Prints the conformance matrix from smapi-conform JSON reports: contract rows down, providers
across, then the rows the random sequences broke, and a legend.

  conform/matrix.py NAME=REPORT.json[=DESCRIPTION] ...

NAME is the column's heading, DESCRIPTION its line in the legend. A provider whose report is missing (the runner could not load it)
gets "-" in every cell.
"""
import json
import sys

CELL = {"pass": "pass", "fail": "FAIL", "crashed": "CRASH", "hung": "HUNG",
        "not observable": "n/o"}


def cell(row):
    text = CELL[row["verdict"]]
    if row["verdict"] == "crashed" and "(" in row["observed"]:
        text += " " + row["observed"][row["observed"].rfind("(") + 1:].rstrip(")")
    return text


def main():
    columns = []
    descriptions = []
    for spec in sys.argv[1:]:
        name, path, description = (spec.split("=", 2) + [""])[:3]
        try:
            with open(path, encoding="utf-8") as f:
                columns.append((name, json.load(f)))
        except (OSError, ValueError):
            columns.append((name, None))
        descriptions.append(description or name)
    reports = [report for _, report in columns if report is not None]
    if not reports:
        print("no reports")
        return 1
    rows = [(row["id"], row["situation"]) for row in reports[0]["rows"]]

    print("| row | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for index, (row_id, _) in enumerate(rows):
        cells = [cell(report["rows"][index]) if report else "-" for _, report in columns]
        print(f"| {row_id} | " + " | ".join(cells) + " |")
    cells = []
    for _, report in columns:
        random = report.get("random") if report else None
        if not random:
            cells.append("-")
            continue
        broken = sorted({finding["row"] for finding in random["findings"]})
        text = ", ".join(broken) if broken else "none"
        if random["stopped"]:
            text += " (stopped)"
        cells.append(text)
    print("| random | " + " | ".join(cells) + " |")
    print()
    print("Cells: pass, FAIL, CRASH (with the signal), HUNG, n/o (not observable from outside);")
    print("\"random\": the rows the random operation sequences broke.")
    print()
    for (name, report), description in zip(columns, descriptions):
        if report is None:
            print(f"- `{name}`: {description} (not loaded)")
            continue
        bad = sum(1 for row in report["rows"]
                  if row["verdict"] in ("fail", "crashed", "hung"))
        print(f"- `{name}`: {description}: {bad} rows failed, crashed or hung")
    return 0


if __name__ == "__main__":
    sys.exit(main())
