#!/usr/bin/env bash
# The provider library must export exactly MAPILogon and MAPILogoff: libsmapi.so in its dynamic
# symbol table (nm -D), smapi32.dll in its PE export table, undecorated (OBJDUMP -p).
# Usage: exported_symbols.sh LIBRARY [OBJDUMP]
set -euo pipefail
library=$1
if [ $# -ge 2 ]; then
  # objdump -p prints the export table as "[Ordinal/Name Pointer] Table" then one
  # "[   n] NAME" line per name, ending at the first blank line. awk reads to the end, so that
  # objdump never meets a closed pipe.
  symbols=$("$2" -p "$library" | awk '/\[Ordinal\/Name Pointer\] Table/ {on = 1; next}
                                      on && NF == 0 {on = 0}
                                      on {print $NF}' | sort)
else
  symbols=$(nm -D --defined-only "$library" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort)
fi
expected=$(printf 'MAPILogoff\nMAPILogon\n')
if [ "$symbols" != "$expected" ]; then
  echo "unexpected exports from $library:" >&2
  echo "$symbols" >&2
  exit 1
fi
echo "exports: ${symbols//$'\n'/ }"
