#!/usr/bin/env bash
# smapi on Windows, under Wine: builds the mingw preset (smapi32.dll, the unit tests and
# smapi-conform.exe), runs the unit tests under Wine, then runs the conformance runner against
#   1. smapi32.dll, loaded directly;
#   2. Wine's mapi32.dll with smapi32.dll registered as the default mail client;
#   3. Wine's mapi32.dll with Wine's own default client (winemapi.dll);
#   4. Wine's mapi32.dll with no client registered;
# beside libsmapi.so on Linux, prints the matrix (rows down, providers across) and writes the same
# text into docs/conformance.md between its ci/wine.sh markers.
#
# Wine's mapi32.dll falls back to its own Simple MAPI when the registered DLL does not load, so
# case 2 is proven to reach smapi32.dll (tests/c_abi_test.c through mapi32.dll: a NULL
# lplhSession gets MAPI_E_FAILURE, which only smapi returns) and must match case 1 row by row.
#
# Usage: ci/wine.sh [--fresh] [--no-unit-tests] [--install-only]
#   --fresh          a new Wine prefix even if build/wine/prefix is usable
#   --no-unit-tests  skip ctest under Wine (the conformance cases still run)
#   --install-only   install what this script needs, then stop
# Environment, for testing this script: SMAPI_WINE64 (Wine's 64-bit loader), SMAPI_WINEPREFIX
# (the prefix), SMAPI_WINE_DLLPATH (the DLLPath registered in case 2).
# Exits non-zero, with one line saying why, when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
start=$SECONDS

fail() {
  echo "ci/wine.sh: $*" >&2
  exit 1
}
phase() { echo "=== $1 (at $((SECONDS - start)) s)"; }

fresh=0
unit_tests=1
install_only=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --no-unit-tests) unit_tests=0 ;;
    --install-only) install_only=1 ;;
    *) fail "unknown argument $arg (usage: ci/wine.sh [--fresh] [--no-unit-tests] [--install-only])" ;;
  esac
done

phase "install"
ci/install_deps.sh wine wine64 gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 googletest \
  cmake ninja-build g++ libgtest-dev binutils-mingw-w64-x86-64 python3
[ $install_only -eq 0 ] || exit 0

# Debian keeps the 64-bit loader off PATH; the wine wrapper would look for wine32 first.
wine64=${SMAPI_WINE64:-}
if [[ -z $wine64 ]]; then
  wine64=$(command -v wine64 || true)
  [[ -n $wine64 ]] || wine64=/usr/lib/wine/wine64
fi
[[ -x $wine64 && ! -d $wine64 ]] ||
  fail "no Wine: $wine64 is not an executable (the wine64 package installs /usr/lib/wine/wine64)"

out=$repo/build/wine
prefix=${SMAPI_WINEPREFIX:-$out/prefix}
mkdir -p "$out"
export WINEPREFIX=$prefix WINEARCH=win64 WINEDEBUG=-all
# Headless, and no offer to install Mono or Gecko while the prefix is made.
unset DISPLAY WAYLAND_DISPLAY
export WINEDLLOVERRIDES="mscoree=;mshtml="
wine() { "$wine64" "$@"; }

jobs=$(nproc)
phase "build: mingw preset (smapi32.dll, unit tests, smapi-conform.exe)"
cmake --preset mingw >/dev/null
cmake --build --preset mingw -j "$jobs"
bin=$repo/build/mingw/bin
phase "build: libsmapi.so and smapi-conform on Linux"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs" --target smapi_shared smapi-conform

# Registry: HKLM\Software\Clients\Mail's default value names the client, and its subkey's
# DLLPath names the DLL. Wine's mapi32.dll reads them once, when it loads: each run below is a new
# process, so each sees what was set just before it.
mail='HKLM\Software\Clients\Mail'
default_client() {  # The default value's text; nothing when it is not set.
  wine reg query "$mail" /ve 2>/dev/null | tr -d '\r' |
    sed -n 's/^ *(Default) *REG_[A-Z_]* *//p' | grep -v '^(value not set)$' || true
}

# A prefix is kept for the next run only once it was made completely (the marker file), and with
# it the name of the mail client Wine registered, which case 3 restores.
marker=$prefix/.smapi-wine-ready
if ((fresh)) || [[ ! -f $marker ]]; then
  phase "a new Wine prefix: $prefix"
  [[ -z ${SMAPI_WINEPREFIX:-} ]] && rm -rf "$prefix"
  wine wineboot -i >"$out/wineboot.log" 2>&1 ||
    fail "the Wine prefix $prefix is broken: wineboot -i failed (see $out/wineboot.log)"
  native=$(default_client)
  [[ -n $native ]] ||
    fail "the Wine prefix $prefix is broken: no default mail client under HKLM\\Software\\Clients\\Mail"
  printf '%s\n' "$native" >"$marker"
else
  phase "the Wine prefix from the last run: $prefix"
fi
native=$(cat "$marker")
mapi32='C:\windows\system32\mapi32.dll'
[[ -f $prefix/drive_c/windows/system32/mapi32.dll ]] ||
  fail "the Wine prefix $prefix is broken: it has no $mapi32"

if ((unit_tests)); then
  phase "unit tests under Wine (ctest)"
  ctest --test-dir build/mingw -j "$jobs" --output-on-failure >"$out/ctest.log" 2>&1 || {
    tail -n 30 "$out/ctest.log" >&2
    fail "unit tests under Wine failed (see $out/ctest.log)"
  }
  grep -E '^[0-9]+% tests passed' "$out/ctest.log"
fi

set_client() {  # NAME [DLLPATH]
  if [[ $# -gt 1 ]]; then
    wine reg add "$mail\\$1" /v DLLPath /t REG_SZ /d "$2" /f >/dev/null 2>&1 ||
      fail "could not write $mail\\$1 DLLPath in the Wine prefix $prefix"
  fi
  wine reg add "$mail" /ve /t REG_SZ /d "$1" /f >/dev/null 2>&1 ||
    fail "could not write $mail in the Wine prefix $prefix"
}
no_client() {
  wine reg delete "$mail" /ve /f >/dev/null 2>&1 || true
  [[ -z $(default_client) ]] ||
    fail "could not remove the default mail client in the Wine prefix $prefix"
}

# One run of the runner: its table in NAME.md, its JSON in NAME.json. Exit 0 (all pass) or 1
# (something failed) are results; 2 means the provider did not load, and anything else is the
# runner's own failure.
conform() {  # NAME PROVIDER ARGS...
  local name=$1 provider=$2 status=0 began=$SECONDS
  shift 2
  "$@" "$provider" --json "$out/$name.json" >"$out/$name.md" 2>"$out/$name.err" || status=$?
  if ((status == 2)); then
    fail "$name: smapi-conform could not load $provider: $(tail -n 1 "$out/$name.err")"
  elif ((status > 1)); then
    fail "$name: smapi-conform exited with $status (see $out/$name.err)"
  fi
  echo "$name ($((SECONDS - began)) s): $(grep -E '^[0-9]+ rows: ' "$out/$name.md")"
}

phase "conformance"
conform linux "$repo/build/default/src/libsmapi.so" "$repo/build/default/conform/smapi-conform"
conform direct "$bin/smapi32.dll" wine "$bin/smapi-conform.exe"

# Wine's own client first, as the prefix registered it.
set_client "$native"
conform winemapi "$mapi32" wine "$bin/smapi-conform.exe" --one-instance

no_client
conform noclient "$mapi32" wine "$bin/smapi-conform.exe" --one-instance

# The DLL as a Windows path on Wine's Z: drive, which maps /.
dllpath=${SMAPI_WINE_DLLPATH:-Z:${bin//\//\\}\\smapi32.dll}
set_client smapi "$dllpath"
if ! wine "$bin/c_abi_test.exe" "$mapi32" >"$out/reach.log" 2>&1; then
  fail "mapi32.dll did not reach DLLPath $dllpath: Wine fell back to its own Simple MAPI" \
    "(c_abi_test.exe through mapi32.dll failed; see $out/reach.log)"
fi
conform forwarded "$mapi32" wine "$bin/smapi-conform.exe" --one-instance

phase "matrix"
# Cases 1 and 2 must pass every observable row and break no row in the random sequences, and agree
# on every row but H4, which the runner cannot see through mapi32.dll (--one-instance).
python3 - "$out/direct.json" "$out/forwarded.json" <<'PY'
import json
import sys

reports = [json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3]]
direct, forwarded = ({row["id"]: row for row in report["rows"]} for report in reports)
problems = []
findings = [sorted(f["row"] for f in (report.get("random") or {}).get("findings", []))
            for report in reports]
if findings != [[], []]:
    problems.append(f"random sequences broke {findings[0]} directly, {findings[1]} through mapi32.dll")
for row_id, row in direct.items():
    other = forwarded.get(row_id)
    if row["verdict"] not in ("pass", "not observable"):
        problems.append(f"{row_id} {row['verdict']} directly: {row['observed']}")
    elif other is None:
        problems.append(f"{row_id} missing through mapi32.dll")
    elif (other["verdict"], other["observed"]) != (row["verdict"], row["observed"]) and not (
            row_id == "H4" and other["verdict"] == "not observable"):
        problems.append(f"{row_id} {other['verdict']} through mapi32.dll: {other['observed']}")
if problems:
    sys.exit("ci/wine.sh: smapi32.dll must pass every observable row, identically, directly and "
             "through mapi32.dll: " + "; ".join(problems))
PY

# The matrix, and beside it what Wine returned where a row did not pass: printed, and written
# into docs/conformance.md between the markers, exactly as printed.
doc=docs/conformance.md
begin='<!-- ci/wine.sh: begin (generated: edit ci/wine.sh, not this block) -->'
end='<!-- ci/wine.sh: end -->'
{
  echo "$begin"
  echo "### Under Wine: smapi32.dll, and Wine's own Simple MAPI"
  echo
  echo "As \`ci/wine.sh\` printed it ($("$wine64" --version)):"
  echo
  python3 conform/matrix.py \
    "libsmapi.so=$out/linux.json=libsmapi.so on Linux" \
    "smapi32.dll=$out/direct.json=smapi32.dll loaded directly under Wine" \
    "mapi32→smapi32=$out/forwarded.json=Wine's mapi32.dll, smapi32.dll registered as the mail client" \
    "mapi32→winemapi=$out/winemapi.json=Wine's mapi32.dll, Wine's default client (winemapi.dll)" \
    "mapi32 alone=$out/noclient.json=Wine's mapi32.dll, no mail client registered"
  echo
  echo "What Wine returned, for each row it did not pass (the first difference each check found):"
  echo
  python3 - "$out/winemapi.json" "$out/noclient.json" <<'PY'
import json
import sys

runs = [json.load(open(path, encoding="utf-8"))["rows"] for path in sys.argv[1:3]]
print("| row | mapi32→winemapi | mapi32 alone |")
print("|---|---|---|")
for winemapi, alone in zip(*runs):
    if {winemapi["verdict"], alone["verdict"]} <= {"pass", "not observable"}:
        continue
    cells = [r["observed"] if r["verdict"] not in ("pass", "not observable") else r["verdict"]
             for r in (winemapi, alone)]
    print(f"| {winemapi['id']} | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
PY
  echo "$end"
} >"$out/matrix.md"
cat "$out/matrix.md"
python3 - "$doc" "$out/matrix.md" "$begin" "$end" <<'PY'
import sys

import os

doc, matrix, begin, end = sys.argv[1:5]
block = open(matrix, encoding="utf-8").read()
text = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Conformance\n"
if begin in text and end in text:
    head, _, rest = text.partition(begin)
    text = head + block.rstrip("\n") + rest.partition(end)[2]
else:
    text = text.rstrip("\n") + "\n\n" + block
open(doc, "w", encoding="utf-8").write(text)
PY
phase "done: $doc updated"
