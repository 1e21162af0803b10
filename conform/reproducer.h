// A failing call sequence as a self-contained C program: it loads the provider (argv[1], or the
// path it was found with), makes the calls, checks each against what the contract says, and
// prints the first difference and exits 1; it exits 0 when the provider kept the contract.
#ifndef SMAPI_CONFORM_REPRODUCER_H_
#define SMAPI_CONFORM_REPRODUCER_H_

#include <string>
#include <vector>

#include "support/abi_sequence.h"

namespace smapi::conform {

// `headline` goes into the program's opening comment.
std::string CProgram(const std::vector<fuzz::AbiCall>& calls, const std::string& provider,
                     const std::string& headline);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_REPRODUCER_H_
