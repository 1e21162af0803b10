#!/bin/sh
# The mingw preset's CMAKE_CROSSCOMPILING_EMULATOR: runs a Windows program under Wine's 64-bit
# loader, headless and quiet, in the prefix WINEPREFIX names, or else in the build tree's own
# (never ~/.wine), which Wine makes on first use.
# Usage: wine-run.sh WINE64 DEFAULT_PREFIX PROGRAM [ARGS...]
wine64=$1
default_prefix=$2
shift 2
WINEPREFIX=${WINEPREFIX:-$default_prefix}
WINEDEBUG=${WINEDEBUG:--all}
WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree=;mshtml=}  # No offer to install Mono or Gecko.
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY
# Made once, before the first program runs, so that tests started in parallel do not race to make
# it (and a program's own time limit is not spent on it).
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  mkdir -p "$(dirname "$WINEPREFIX")"
  # shellcheck disable=SC2016 # The inner shell expands them.
  flock "$WINEPREFIX.lock" sh -c '[ -f "$WINEPREFIX/system.reg" ] || "$1" wineboot -i' \
    sh "$wine64" >/dev/null 2>&1
fi
exec "$wine64" "$@"
