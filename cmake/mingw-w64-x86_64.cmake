# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64), and runs what
# it builds under Wine. The posix-threads variant of g++ is the one whose libstdc++ has std::mutex
# and std::thread (the win32 variant lacks them).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(SMAPI_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${SMAPI_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${SMAPI_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${SMAPI_MINGW_TRIPLE}-windres)
set(CMAKE_OBJDUMP ${SMAPI_MINGW_TRIPLE}-objdump)

# MinGW's own printf, which knows %zu and %llu (msvcrt's does not). GCC still checks a
# format(printf) attribute against msvcrt's printf, so format warnings are off here; every Linux
# preset checks the same format strings.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1 -Wno-format")
set(CMAKE_CXX_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1 -Wno-format")

set(CMAKE_FIND_ROOT_PATH /usr/${SMAPI_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# libgcc, libstdc++ and winpthread linked in, so that smapi32.dll and the .exe files need nothing
# beside them but Windows' own DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

# ctest runs the .exe files under Wine's 64-bit loader (Debian keeps it off PATH), through
# wine-run.sh: headless, quiet, and in build/<preset>/wineprefix unless WINEPREFIX names another.
find_program(SMAPI_WINE64 NAMES wine64 PATHS /usr/lib/wine /usr/lib/x86_64-linux-gnu/wine
             NO_CMAKE_FIND_ROOT_PATH)
if(SMAPI_WINE64)
  set(CMAKE_CROSSCOMPILING_EMULATOR
      ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh ${SMAPI_WINE64} ${CMAKE_BINARY_DIR}/wineprefix)
endif()
if(NOT SMAPI_WINE64)
  message(WARNING "wine64 not found: the mingw preset builds, but ctest cannot run its .exe files")
endif()
