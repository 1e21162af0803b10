// The engine's floor: the same build flags and engine as every other target, and no work.
// ci/fuzz.sh reports each target's exec/s as a ratio to this one.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }
