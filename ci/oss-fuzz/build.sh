#!/bin/bash
# OSS-Fuzz / ClusterFuzzLite build script for smapi.
#
# Reads only what the OSS-Fuzz builder hands every project: $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE $SRC $WORK $OUT. The checkout is expected at $SRC/smapi (see Dockerfile).
# Nothing here assumes libFuzzer: the engine's main() comes from $LIB_FUZZING_ENGINE, whatever
# it is (-fsanitize=fuzzer, libAFLDriver.a, the coverage build's replay main...), and the sanitizer
# and coverage flags come in through $CFLAGS/$CXXFLAGS.
#
# For every fuzzers/<target>.cc but empty_fuzzer it leaves in $OUT:
#   <target>                  the statically linked fuzz target
#   <target>_seed_corpus.zip  every file under corpus/<target>/, regressions included (flattened)
#   <target>.dict             copied from fuzzers/<target>.dict when that file exists
#   <target>.options          copied from fuzzers/<target>.options when that file exists
#   libsmapi.so               the shared library provider_fuzzer loads from beside itself
set -euo pipefail

project="$SRC/smapi"
build="$WORK/smapi-build"

shopt -s nullglob
sources=("$project"/fuzzers/*_fuzzer.cc)
shopt -u nullglob
if ((${#sources[@]} == 0)); then
  echo "build.sh: no fuzzers/*_fuzzer.cc under $project" >&2
  exit 1
fi
# empty_fuzzer is ci/fuzz.sh's floor for exec/s ratios: an empty function that OSS-Fuzz would
# spend CPU on, and whose handful of edges its instrumentation check may reject.
targets=()
for source in "${sources[@]}"; do
  name="$(basename "$source" .cc)"
  [[ "$name" == empty_fuzzer ]] && continue
  targets+=("$name")
done

# CMake takes $CC $CXX $CFLAGS $CXXFLAGS from the environment on the first configure. The
# project's own SMAPI_SANITIZERS stays empty: the builder's flags already carry -fsanitize=...
# (and -fsanitize=fuzzer-no-link under libFuzzer). SMAPI_FUZZ_ENGINE=auto with
# SMAPI_LIB_FUZZING_ENGINE set links $LIB_FUZZING_ENGINE into every target. No build type, so
# the optimisation level is the one in $CFLAGS. Tests and benchmarks are off; the library is
# static, so each target in $OUT stands alone.
rm -rf "$build"
cmake -S "$project" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER="$CC" \
  -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_BUILD_TYPE= \
  -DBUILD_SHARED_LIBS=OFF \
  -DBUILD_TESTING=OFF \
  -DSMAPI_BUILD_TESTS=OFF \
  -DSMAPI_BUILD_BENCH=OFF \
  -DSMAPI_BUILD_FUZZERS=ON \
  -DSMAPI_WERROR=OFF \
  -DSMAPI_COVERAGE=OFF \
  -DSMAPI_SANITIZERS= \
  -DSMAPI_FUZZ_ENGINE=auto \
  -DSMAPI_FUZZ_INSTRUMENT=OFF \
  -DSMAPI_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

mkdir -p "$OUT"
for name in "${targets[@]}"; do
  cp "$build/fuzzers/$name" "$OUT/$name"
  if [[ "$name" == provider_fuzzer ]]; then
    # It fuzzes a provider loaded by path, by default the libsmapi.so beside it: built with the
    # same flags, shipped with it. Not executable: only fuzz targets are executables in $OUT.
    install -m 644 "$build/src/libsmapi.so.1" "$OUT/libsmapi.so"
  fi

  for extra in dict options; do
    if [[ -e "$project/fuzzers/$name.$extra" ]]; then
      cp "$project/fuzzers/$name.$extra" "$OUT/$name.$extra"
    fi
  done

  corpus="$project/corpus/$name"
  zip_path="$OUT/${name}_seed_corpus.zip"
  rm -f "$zip_path"
  if [[ -d "$corpus" ]]; then
    # Flattened, since engines differ in whether they descend into folders: a file at
    # corpus/<target>/regressions/x becomes regressions__x, so names stay unique and tell
    # where they came from.
    staging="$WORK/seed-$name"
    rm -rf "$staging"
    mkdir -p "$staging"
    count=0
    while IFS= read -r -d '' file; do
      relative="${file#"$corpus"/}"
      cp "$file" "$staging/${relative//\//__}"
      count=$((count + 1))
    done < <(find "$corpus" -type f -print0)
    if ((count > 0)); then
      (cd "$staging" && zip -q -X -r "$zip_path" .)
    fi
    rm -rf "$staging"
    echo "build.sh: $name: $count seed inputs"
  fi
done
