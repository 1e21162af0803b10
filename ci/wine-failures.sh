#!/usr/bin/env bash
# ci/wine.sh fails loudly: a missing Wine, a broken Wine prefix, and a registered DLLPath that does
# not load (Wine's mapi32.dll would fall back to its own Simple MAPI without a word) each end it
# with a non-zero status and exactly one line on stderr that names the problem.
# Runs ci/wine.sh (without its unit tests) once per case; run ci/wine.sh first to build.
set -euo pipefail
cd "$(dirname "$0")/.."
# Installed first, with the installer's lines on this script's stderr: on a fresh machine they
# would otherwise land in the first case's stderr, which must hold exactly one line.
ci/wine.sh --install-only >&2
scratch=$PWD/build/wine-failures
rm -rf "$scratch"
mkdir -p "$scratch"
printf 'this is text, not a DLL\n' >"$scratch/not-a-dll.dll"
touch "$scratch/a-file-not-a-prefix"
windows_scratch="Z:${scratch//\//\\}"

failed=0
expect() {  # NAME WORDS VARIABLE=VALUE
  local name=$1 words=$2 status=0
  env "$3" ci/wine.sh --no-unit-tests >"$scratch/$name.out" 2>"$scratch/$name.err" || status=$?
  local lines
  lines=$(wc -l <"$scratch/$name.err")
  if ((status != 0)) && ((lines == 1)) && grep -q "^ci/wine.sh: .*$words" "$scratch/$name.err"; then
    echo "$name: ok: $(cat "$scratch/$name.err")"
  else
    echo "$name: FAILED: exit $status, $lines lines on stderr (want 1 with '$words'):" >&2
    cat "$scratch/$name.err" >&2
    failed=1
  fi
}

expect missing-wine "no Wine" "SMAPI_WINE64=$scratch/no-such-wine64"
expect broken-prefix "is broken" "SMAPI_WINEPREFIX=$scratch/a-file-not-a-prefix"
expect dllpath-not-a-dll "did not reach DLLPath" "SMAPI_WINE_DLLPATH=$windows_scratch\\not-a-dll.dll"
expect dllpath-missing "did not reach DLLPath" "SMAPI_WINE_DLLPATH=$windows_scratch\\no-such.dll"
exit $failed
