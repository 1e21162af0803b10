# Picks how fuzz targets get their main():
#   1. $LIB_FUZZING_ENGINE (OSS-Fuzz, ClusterFuzzLite, AFL++'s libAFLDriver.a) when it is set;
#   2. libFuzzer, under clang;
#   3. otherwise fuzzers/standalone_driver.cc, which replays the files and folders it is given.
set(SMAPI_LIB_FUZZING_ENGINE "$ENV{LIB_FUZZING_ENGINE}" CACHE STRING
    "Link flags or archive that provide the fuzzing engine's main()")
option(SMAPI_FUZZ_INSTRUMENT "Instrument every target for libFuzzer (the fuzz preset)" OFF)

if(SMAPI_LIB_FUZZING_ENGINE AND NOT SMAPI_FUZZ_ENGINE STREQUAL "standalone")
  set(SMAPI_RESOLVED_FUZZ_ENGINE "env")
elseif(SMAPI_FUZZ_ENGINE STREQUAL "auto")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(SMAPI_RESOLVED_FUZZ_ENGINE "libfuzzer")
  else()
    set(SMAPI_RESOLVED_FUZZ_ENGINE "standalone")
  endif()
else()
  set(SMAPI_RESOLVED_FUZZ_ENGINE "${SMAPI_FUZZ_ENGINE}")
endif()
message(STATUS "smapi: fuzzing engine: ${SMAPI_RESOLVED_FUZZ_ENGINE}")

if(SMAPI_FUZZ_INSTRUMENT)
  # Coverage feedback must come from the library too, not only from the target's own file; the
  # functions in fuzzers/unguided.ignorelist stay out of it.
  add_compile_options(-fsanitize=fuzzer-no-link
                      -fsanitize-coverage-ignorelist=${PROJECT_SOURCE_DIR}/fuzzers/unguided.ignorelist)
endif()
