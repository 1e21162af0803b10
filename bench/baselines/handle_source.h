// Handles for the hash-map baselines: unique, never 0, never reused, and spread over all 64 bits
// like smapi's, so that no baseline gets an easier key distribution than the table it is compared
// with.
#ifndef SMAPI_BENCH_BASELINES_HANDLE_SOURCE_H_
#define SMAPI_BENCH_BASELINES_HANDLE_SOURCE_H_

#include <smapi/mapi.h>

#include <cstdint>

namespace smapi::bench {

// The n-th handle a baseline issues. Every step below is a bijection of the 64-bit space
// (multiplication by an odd constant, xor with a right shift of itself), so distinct counters give
// distinct handles, and only counter 0 maps to 0: counters start at 1.
inline LHANDLE MixHandle(uint64_t counter) {
  uint64_t z = counter * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_HANDLE_SOURCE_H_
