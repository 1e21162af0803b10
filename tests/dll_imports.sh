#!/usr/bin/env bash
# smapi32.dll stands alone: it imports only DLLs that every Windows has (KERNEL32.dll and the
# system C runtime msvcrt.dll), none of MinGW's (libstdc++-6.dll, libgcc_s_seh-1.dll,
# libwinpthread-1.dll), which are linked in.
# Usage: dll_imports.sh DLL OBJDUMP
set -euo pipefail
imports=$("$2" -p "$1" | awk '/DLL Name:/ {print $3}' | sort -u)
unexpected=$(grep -viE '^(kernel32|msvcrt)\.dll$' <<<"$imports" || true)
if [ -z "$imports" ] || [ -n "$unexpected" ]; then
  echo "$1 imports what Windows does not have: ${unexpected:-(no imports read)}" >&2
  exit 1
fi
echo "imports: ${imports//$'\n'/ }"
