# Runs a fuzz target on every file under INPUTS, each RUNS times in a process of its own, and fails
# unless every run passes: a crash that a fix made go away must stay away every time, not only
# on a lucky schedule. ctest runs it on corpus/<target>/regressions/ (label "reproduce").
#
#   cmake [-DLAUNCHER=emulator] -DFUZZER=path/to/target -DINPUTS=dir -DRUNS=10 -P replay_each.cmake
# LAUNCHER runs the target when it is built for another system (Wine for the mingw preset).
if(NOT FUZZER OR NOT INPUTS OR NOT RUNS)
  message(FATAL_ERROR "usage: cmake -DFUZZER=... -DINPUTS=... -DRUNS=... -P replay_each.cmake")
endif()
file(GLOB_RECURSE inputs LIST_DIRECTORIES false "${INPUTS}/*")
list(SORT inputs)
if(NOT inputs)
  message(FATAL_ERROR "no inputs under ${INPUTS}")
endif()
set(failures 0)
foreach(input IN LISTS inputs)
  set(failed 0)
  foreach(run RANGE 1 ${RUNS})
    execute_process(COMMAND ${LAUNCHER} "${FUZZER}" "${input}" RESULT_VARIABLE result OUTPUT_VARIABLE out
                    ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
      math(EXPR failed "${failed} + 1")
      if(failed EQUAL 1)
        message("${out}")
      endif()
    endif()
  endforeach()
  file(RELATIVE_PATH name "${INPUTS}" "${input}")
  message("${name}: ${failed} of ${RUNS} runs failed")
  if(failed GREATER 0)
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
list(LENGTH inputs count)
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${count} inputs failed")
endif()
message("${count} inputs, ${RUNS} runs each: all passed")
