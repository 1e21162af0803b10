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
  set(ignorelist ${PROJECT_SOURCE_DIR}/fuzzers/unguided.ignorelist)
  add_compile_options(-fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=${ignorelist})
  # The compiler reads the list, but no build rule names it: an edit re-runs CMake, and its hash in
  # a definition changes every command line, so everything recompiles under the new list.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ignorelist})
  file(SHA1 ${ignorelist} ignorelist_sha1)
  string(SUBSTRING ${ignorelist_sha1} 0 12 ignorelist_sha1)
  add_compile_definitions(SMAPI_UNGUIDED_LIST=${ignorelist_sha1})
endif()
