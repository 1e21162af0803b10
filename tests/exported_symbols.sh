#!/usr/bin/env bash
# libsmapi.so must define exactly MAPILogon and MAPILogoff in its dynamic symbol table.
set -euo pipefail
library=$1
symbols=$(nm -D --defined-only "$library" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort)
expected=$(printf 'MAPILogoff\nMAPILogon\n')
if [ "$symbols" != "$expected" ]; then
  echo "unexpected exports from $library:" >&2
  echo "$symbols" >&2
  exit 1
fi
echo "exports: ${symbols//$'\n'/ }"
