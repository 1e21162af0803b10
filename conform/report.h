// What the runner prints: the table of rows (Markdown, so that docs can hold it as printed), the
// random sequences' findings, and the same as JSON.
#ifndef SMAPI_CONFORM_REPORT_H_
#define SMAPI_CONFORM_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "rows.h"

namespace smapi::conform {

struct RowReport {
  std::string id;
  std::string situation;
  std::string expected;
  std::string observed;
  Verdict verdict;
};

// One contract row that the random sequences saw broken, with the shortest sequence found.
struct SequenceFinding {
  std::string row;
  std::string observed;    // The failing call in the shortest sequence.
  size_t original_length;  // Operations up to the failure in the sequence that found it.
  size_t shortest_length;
  std::string reproducer;  // A self-contained C program.
};

struct RandomReport {
  bool ran = false;
  uint64_t seed = 0;
  uint64_t iterations = 0;  // Operations asked for.
  uint64_t operations = 0;  // Operations run (all of them unless a run stopped on a failure).
  std::string stopped;      // Set when a run ended in a crash or hang: what happened.
  std::vector<SequenceFinding> findings;
};

struct Report {
  std::string provider;
  std::string profile;
  std::vector<RowReport> rows;
  RandomReport random;
};

// True when no row failed, crashed or hung and the random sequences found nothing.
bool Passed(const Report& report);
void PrintTable(const Report& report, std::ostream& out);
void PrintRandom(const Report& report, std::ostream& out);
void WriteJson(const Report& report, std::ostream& out);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_REPORT_H_
