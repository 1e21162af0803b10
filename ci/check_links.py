#!/usr/bin/env python3
"""Every relative link in README.md and docs/*.md resolves: the file exists, and a #fragment names
a heading of the page it points to (GitHub's anchors). Links to other sites are not fetched (the
project's machines reach no web); they are counted. Prints each broken link as FILE:LINE: TARGET
and exits 1 when there is any.

  ci/check_links.py [FILE.md...]      (default: README.md docs/*.md)

No Debian package checks Markdown links without the network, hence this one page of Python.
"""
import glob
import os
import re
import sys

LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def anchors(path):
    """GitHub's heading anchors: lower case, punctuation but - and _ dropped, spaces to -."""
    seen, out, fenced = {}, set(), False
    with open(path, encoding="utf-8") as page:
        for line in page:
            if FENCE.match(line):
                fenced = not fenced
            if fenced or not line.startswith("#"):
                continue
            text = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def links(path):
    fenced = False
    with open(path, encoding="utf-8") as page:
        for number, line in enumerate(page, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
            line = re.sub(r"`[^`]*`", "", line)  # Code spans hold no links.
            for match in LINK.finditer(line):
                yield number, match.group(1) or match.group(2)


def main(files):
    broken, external, checked = [], 0, 0
    for path in files:
        for number, target in links(path):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                external += 1
                continue
            checked += 1
            file_part, _, fragment = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) \
                if file_part else path
            if not os.path.exists(resolved):
                broken.append(f"{path}:{number}: {target} (no such file)")
            elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved):
                broken.append(f"{path}:{number}: {target} (no such heading)")
    for line in broken:
        print(line)
    print(f"links: {checked} relative links in {len(files)} pages, {len(broken)} broken; "
          f"{external} to other sites, not fetched")
    return 1 if broken else 0


if __name__ == "__main__":
    pages = sys.argv[1:]
    if not pages:
        os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
        pages = ["README.md"] + sorted(glob.glob("docs/*.md"))
    sys.exit(main(pages))
