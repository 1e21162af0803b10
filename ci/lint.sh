#!/usr/bin/env bash
# Lints the harness's own code: shellcheck over every shell script of CI (ci/, .ci/,
# .clusterfuzzlite/, tests/), yamllint (settings in .yamllint) over every YAML file the
# repository keeps, and every relative link of README.md and docs/ (ci/check_links.py). Exits
# non-zero on any finding; ci/test.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install_deps.sh shellcheck yamllint

# Every file under those folders that is a shell script by name or by its #! line.
scripts=()
while IFS= read -r -d '' file; do
  case "$file" in
    *.sh) scripts+=("$file") ;;
    *) head -n1 "$file" | grep -qE '^#!.*\b(ba)?sh\b' && scripts+=("$file") ;;
  esac
done < <(find ci .ci .clusterfuzzlite tests -type f ! -name '*.patch' -print0 | sort -z)
echo "=== shellcheck: ${#scripts[@]} scripts"
shellcheck "${scripts[@]}"

mapfile -t yaml < <(git ls-files -co --exclude-standard '*.yml' '*.yaml' .yamllint)
echo "=== yamllint: ${#yaml[@]} files"
yamllint --strict "${yaml[@]}"
echo "=== links: README.md and docs/"
python3 ci/check_links.py
echo "lint: clean"
