#!/usr/bin/env bash
# The contract run against Simple MAPI providers given by path (docs/conformance.md): builds
# smapi-conform and runs it on each provider, then prints a matrix, contract rows down and
# providers across.
#
#   ci/conform.sh [--write-docs] [PROVIDER...]
#
# With no provider it runs libsmapi.so and every planted bug in ci/mutants/ built as its own
# shared library (each patch applied to a scratch copy of the tree under build/conform/, only the
# shared library built), and checks each reproducer the random sequences print: compiled, it
# must fail against its planted bug and pass against libsmapi.so. --write-docs then rewrites the
# generated part of docs/conformance.md with what it printed.
#   CONFORM_ITERATIONS  random operations per provider (default 10000)
#   CONFORM_SEED        their seed (default 1)
# Exits 1 when libsmapi.so or a named provider breaks a row, or a reproducer misbehaves, and 2
# (the runner's code) when no named provider could be loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

write_docs=0
providers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --write-docs) write_docs=1 ;;
    -h | --help)
      sed -n '2,16p' "$0"
      exit 0
      ;;
    -*)
      echo "unknown option: $1" >&2
      exit 2
      ;;
    *) providers+=("$1") ;;
  esac
  shift
done
if [ $write_docs -eq 1 ] && [ ${#providers[@]} -gt 0 ]; then
  echo "--write-docs describes the planted bugs: run it without providers" >&2
  exit 2
fi

ci/install_deps.sh cmake ninja-build g++ python3 patch libc6-dev

iterations=${CONFORM_ITERATIONS:-10000}
seed=${CONFORM_SEED:-1}
work=$repo/build/conform
build=$work/build
reports=$work/reports
mkdir -p "$work"
rm -rf "$reports"
mkdir -p "$reports"

echo "=== build: smapi-conform and libsmapi.so ($build)"
cmake --preset default -B "$build" -DSMAPI_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target smapi-conform smapi_shared >/dev/null
runner=$build/conform/smapi-conform
smapi=$build/src/libsmapi.so

columns=()
status=0
# run NAME LIBRARY DESCRIPTION: one provider's report, as JSON and as the runner printed it.
run() {
  local name=$1 library=$2 description=$3 code=0
  echo "=== $name: $library"
  "$runner" "$library" --seed "$seed" --iterations "$iterations" \
    --json "$reports/$name.json" >"$reports/$name.txt" || code=$?
  grep -E '^[0-9]+ rows:|^random sequences:' "$reports/$name.txt" | sed 's/^/    /' || true
  [ $code -eq 2 ] && echo "    not loaded (exit status 2)"
  columns+=("$name=$reports/$name.json=$description")
  return $code
}

if [ ${#providers[@]} -gt 0 ]; then
  # The runner's own codes: 0 every row passed, 1 a row failed, 2 the provider did not load. With
  # one provider its code is the script's; with several, 2 only when none loaded.
  loaded=0
  for provider in "${providers[@]}"; do
    name=$(basename "$provider")
    code=0
    run "$name" "$provider" "$provider" || code=$?
    [ $code -eq 2 ] || loaded=$((loaded + 1))
    [ $code -eq 0 ] || status=1
    cat "$reports/$name.txt"
  done
  echo
  [ $loaded -eq 0 ] || python3 conform/matrix.py "${columns[@]}"
  [ $loaded -gt 0 ] || status=2
  exit $status
fi

run smapi "$smapi" "libsmapi.so, the reference provider" || status=1

# Each planted bug as its own libsmapi.so: one scratch tree, configured once; a patch is applied,
# only the shared library rebuilt, and the patch taken back out (which touches the files again,
# so the next build recompiles them).
tree=$work/tree
rm -rf "$tree"
mkdir -p "$tree" "$work/libs"
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$tree"
cmake --preset default -S "$tree" -B "$tree/build" -DSMAPI_WERROR=OFF -DSMAPI_BUILD_TESTS=OFF \
  -DSMAPI_BUILD_FUZZERS=OFF -DSMAPI_BUILD_CONFORM=OFF >/dev/null
mutants=()
for patch in ci/mutants/*.patch; do
  name=$(basename "$patch" .patch)
  number=${name%%-*}
  patch -s -p1 -d "$tree" <"$patch"
  if cmake --build "$tree/build" -j "$(nproc)" --target smapi_shared >"$work/build.log" 2>&1; then
    cp "$tree/build/src/libsmapi.so.1" "$work/libs/$number.so"
    run "$number" "$work/libs/$number.so" "$name: $(sed -n '1s/^Planted bug: //p' "$patch")" ||
      true
    mutants+=("$number")
  else
    echo "=== $name: the shared library does not build; see $work/build.log"
    status=1
  fi
  patch -s -R -p1 -d "$tree" <"$patch"
done

echo
matrix=$(python3 conform/matrix.py "${columns[@]}")
echo "$matrix"

# Every reproducer the random sequences printed, compiled: it must fail against its planted bug
# and pass against libsmapi.so.
specs=()
for column in "${columns[@]}"; do
  name=${column%%=*}
  [ "$name" = smapi ] || specs+=("${column%=*}")
done
echo
echo "=== reproducers: each must fail against its planted bug and pass against libsmapi.so"
reproducers=$(python3 conform/check_reproducers.py "$work/reproducers" "$smapi" "${specs[@]}") ||
  status=1
echo "$reproducers"

if [ $write_docs -eq 1 ]; then
  doc=docs/conformance.md
  {
    echo "$matrix"
    echo
    echo "Each reproducer the random sequences printed, compiled and run against the planted bug"
    echo "it was found on (it must fail) and against libsmapi.so (it must pass):"
    echo
    echo "$reproducers"
  } >"$work/matrix.md"
  python3 conform/write_docs.py "$doc" "$reports/smapi.json" "$work/matrix.md" \
    "seed $seed, $iterations random operations per provider"
  echo "=== wrote $doc"
fi
exit $status
