#include "random_sequences.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "reproducer.h"

namespace smapi::conform {
namespace {

using fuzz::AbiBase;
using fuzz::AbiMutation;
using fuzz::AbiOp;
using fuzz::AbiPassword;
using fuzz::AbiProfile;

constexpr uint64_t kBatchOps = 5000;     // Operations one child runs at most.
constexpr size_t kMaxSequenceOps = 48;   // Operations in one sequence at most.
constexpr int kMaxShrinkAttempts = 400;  // Children one shrink may start.
constexpr size_t kMaxFindings = 12;      // Distinct broken rows before the run stops.
constexpr int kShrinkTries = 3;          // Runs of a candidate before it counts as passing.
constexpr int kEmitTries = 10;           // Runs of the shortest sequence to print it failing.
constexpr int kConfirmRuns = 5;          // Then runs that must all fail for it to be reproducible.

// Raw engine output only: std::mt19937_64's sequence is the same everywhere, the standard
// distributions' results are not.
class Random {
 public:
  Random(uint64_t seed, uint64_t index) : engine_(Seeded(seed, index)) {}
  uint64_t Next() { return engine_(); }
  uint64_t Below(uint64_t n) { return engine_() % n; }
  bool Percent(uint64_t p) { return Below(100) < p; }

 private:
  static std::mt19937_64 Seeded(uint64_t seed, uint64_t index) {
    std::seed_seq words{uint32_t(seed), uint32_t(seed >> 32), uint32_t(index),
                        uint32_t(index >> 32)};
    return std::mt19937_64(words);
  }
  std::mt19937_64 engine_;
};

AbiOp RandomOp(Random& random) {
  AbiOp op;
  op.logoff = random.Percent(45);
  if (!op.logoff) {
    const uint64_t p = random.Below(100);
    op.profile = p < 30   ? AbiProfile::kNull
                 : p < 80 ? AbiProfile::kKnown
                 : p < 90 ? AbiProfile::kUnknown
                          : AbiProfile::kOtherCase;
    const uint64_t w = random.Below(100);
    op.password = w < 25   ? AbiPassword::kNull
                  : w < 70 ? AbiPassword::kKnown
                  : w < 80 ? AbiPassword::kLonger
                  : w < 90 ? AbiPassword::kPrefix
                           : AbiPassword::kEmpty;
    constexpr FLAGS kNew = MAPI_NEW_SESSION;
    constexpr FLAGS kFlags[] = {0,
                                0,
                                0,
                                0,
                                0,
                                kNew,
                                kNew,
                                kNew,
                                kNew,
                                MAPI_FORCE_DOWNLOAD,
                                MAPI_FORCE_DOWNLOAD | kNew,
                                MAPI_LOGON_UI,
                                MAPI_LOGON_UI | kNew,
                                MAPI_PASSWORD_UI,
                                MAPI_PASSWORD_UI | kNew,
                                MAPI_LOGON_UI | MAPI_PASSWORD_UI,
                                MAPI_DIALOG,
                                MAPI_EXTENDED};
    op.flags = kFlags[random.Below(std::size(kFlags))];
    if (random.Percent(3)) op.flags |= FLAGS{1} << random.Below(32);
    op.reserved = random.Percent(3) ? ULONG(1 + random.Below(0xffffffff)) : 0;
    op.null_out = random.Percent(3);
    op.window = random.Percent(15) ? random.Next() : 0;
  } else {
    const uint64_t b = random.Below(100);
    op.base = b < 70   ? AbiBase::kLive
              : b < 85 ? AbiBase::kLoggedOff
              : b < 92 ? AbiBase::kZero
                       : AbiBase::kRaw;
    op.which = uint32_t(random.Next());
    const uint64_t m = random.Below(100);
    op.mutation = m < 80   ? AbiMutation::kNone
                  : m < 88 ? AbiMutation::kFlipBit
                  : m < 92 ? AbiMutation::kCut32
                  : m < 96 ? AbiMutation::kSwapHalves
                           : AbiMutation::kAdd;
    op.operand = op.mutation == AbiMutation::kAdd ? 1 + random.Below(4) : random.Next();
    op.flags = random.Percent(4) ? FLAGS{1} << random.Below(32) : 0;
    op.reserved = random.Percent(4) ? ULONG(1 + random.Below(0xffffffff)) : 0;
    op.window = random.Percent(25) ? random.Next() : 0;
  }
  return op;
}

fuzz::AbiProvider ProviderOf(const Target& target) {
  fuzz::AbiProvider provider;
  provider.logon = target.logon;
  provider.logoff = target.logoff;
  provider.profile = target.profile;
  provider.password = target.password;
  provider.capacity = target.capacity;
  return provider;
}

// Ops files: one operation a line, every field a number.
void WriteOps(const std::string& path, const std::vector<AbiOp>& ops) {
  std::ofstream out(path);
  for (const AbiOp& op : ops) {
    out << op.logoff << ' ' << int(op.profile) << ' ' << int(op.password) << ' ' << int(op.base)
        << ' ' << op.which << ' ' << int(op.mutation) << ' ' << op.operand << ' ' << op.flags << ' '
        << op.reserved << ' ' << op.window << ' ' << op.null_out << '\n';
  }
}

std::vector<AbiOp> ReadOps(const std::string& path) {
  std::vector<AbiOp> ops;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    AbiOp op;
    int profile, password, base, mutation;
    fields >> op.logoff >> profile >> password >> base >> op.which >> mutation >> op.operand >>
        op.flags >> op.reserved >> op.window >> op.null_out;
    if (!fields) continue;
    op.profile = AbiProfile(profile);
    op.password = AbiPassword(password);
    op.base = AbiBase(base);
    op.mutation = AbiMutation(mutation);
    ops.push_back(op);
  }
  return ops;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// What ended a child that did not report: the key a shrink must keep.
std::string Abnormal(const host::ChildOutcome& outcome) {
  switch (outcome.kind) {
    case host::ChildOutcome::Kind::kCrashed:
      return "crashed (" + outcome.crash + ")";
    case host::ChildOutcome::Kind::kHung:
      return "hung";
    case host::ChildOutcome::Kind::kFailedToStart:
      return "did not start: " + outcome.error;
    case host::ChildOutcome::Kind::kExited:
      return "crashed (exit status " + std::to_string(outcome.exit_code) + ")";
  }
  return "?";
}

// One sequence in a child: "pass", or the row (or crash) that failed and what was seen.
struct Attempt {
  std::string key;
  std::string what;
};

Attempt RunOps(const std::vector<AbiOp>& ops, const std::string& ops_file,
               const LaunchChild& launch, const std::vector<std::string>& extra = {}) {
  WriteOps(ops_file, ops);
  std::vector<std::string> args = {"--ops", ops_file};
  args.insert(args.end(), extra.begin(), extra.end());
  const host::ChildOutcome outcome = launch("ops", "-", args);
  for (const std::string& line : Lines(outcome.report)) {
    const std::vector<std::string> fields = Fields(line);
    if (fields[0] == "pass") return {"pass", ""};
    if (fields[0] == "fail" && fields.size() >= 3) return {fields[1], fields[2]};
  }
  return {Abnormal(outcome), ""};
}

// Whether `ops` fail as `key` in one of `tries` runs: a provider that draws its handles at random
// (libsmapi.so keys its handles from std::random_device) may fail a sequence only some of the time.
bool FailsAs(const std::vector<AbiOp>& ops, const std::string& key, int tries,
             const std::string& ops_file, const LaunchChild& launch) {
  for (int i = 0; i < tries; ++i) {
    if (RunOps(ops, ops_file, launch).key == key) return true;
  }
  return false;
}

// Removes chunks of operations, halving the chunk down to one, while the sequence still fails
// the same way: the shortest failing sequence this greedy search finds.
std::vector<AbiOp> Shrink(std::vector<AbiOp> ops, const std::string& key,
                          const std::string& ops_file, const LaunchChild& launch) {
  int attempts = 0;
  for (size_t chunk = std::max<size_t>(ops.size() / 2, 1); chunk >= 1; chunk /= 2) {
    bool removed = true;
    while (removed && attempts < kMaxShrinkAttempts) {
      removed = false;
      for (size_t start = 0; start < ops.size() && attempts < kMaxShrinkAttempts;) {
        std::vector<AbiOp> candidate = ops;
        candidate.erase(candidate.begin() + start,
                        candidate.begin() + std::min(ops.size(), start + chunk));
        ++attempts;
        if (FailsAs(candidate, key, kShrinkTries, ops_file, launch)) {
          ops = std::move(candidate);
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (chunk > 1) break;  // Repeat passes only at the finest grain.
    }
    if (chunk == 1) break;
  }
  return ops;
}

}  // namespace

std::vector<AbiOp> SequenceOps(uint64_t seed, uint64_t index) {
  Random random(seed, index);
  std::vector<AbiOp> ops(1 + random.Below(kMaxSequenceOps));
  for (AbiOp& op : ops) op = RandomOp(random);
  return ops;
}

int RunBatchInChild(const Target& target, uint64_t seed, uint64_t first, uint64_t budget) {
  uint64_t done = 0;
  uint64_t index = first;
  for (; done < budget; ++index) {
    const std::vector<AbiOp> ops = SequenceOps(seed, index);
    host::WriteReport("begin\t" + std::to_string(index));
    fuzz::AbiSequence sequence(ProviderOf(target));
    size_t ran = 0;
    while (ran < ops.size() && sequence.Run(ops[ran])) ++ran;
    if (ran == ops.size() && sequence.Finish()) {
      done += ops.size();
      continue;
    }
    const fuzz::AbiFailure& failure = *sequence.failure();
    host::WriteReport("fail\t" + std::to_string(index) + "\t" +
                      std::to_string(std::min(ran + 1, ops.size())) + "\t" + failure.row + "\t" +
                      failure.what);
    return 0;
  }
  host::WriteReport("done\t" + std::to_string(index));
  return 0;
}

int RunOpsInChild(const Target& target, const std::string& ops_file, const std::string& emit_file,
                  const std::string& headline) {
  const std::vector<AbiOp> ops = ReadOps(ops_file);
  fuzz::AbiSequence sequence(ProviderOf(target));
  std::vector<fuzz::AbiCall> made;
  const std::string provider = std::filesystem::absolute(target.library).string();
  if (!emit_file.empty()) {
    sequence.set_before_call([&](const fuzz::AbiCall& call) {
      made.push_back(call);
      std::ofstream(emit_file) << CProgram(made, provider, headline);
    });
  }
  bool ok = true;
  for (const AbiOp& op : ops) ok = ok && sequence.Run(op);
  ok = ok && sequence.Finish();
  if (ok) {
    host::WriteReport("pass");
  } else {
    host::WriteReport("fail\t" + sequence.failure()->row + "\t" + sequence.failure()->what);
  }
  return 0;
}

RandomReport RunRandomSequences(uint64_t seed, uint64_t iterations, const LaunchChild& launch) {
  RandomReport report;
  report.ran = iterations > 0;
  report.seed = seed;
  report.iterations = iterations;
  if (!report.ran) return report;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path scratch =
      fs::temp_directory_path(ec) / ("smapi-conform-" + std::to_string(std::random_device{}()));
  fs::create_directories(scratch, ec);
  const std::string ops_file = (scratch / "ops.txt").string();
  const std::string emit_file = (scratch / "reproducer.c").string();

  std::set<std::string> seen;
  uint64_t index = 0;
  while (report.operations < iterations) {
    const uint64_t budget = std::min(iterations - report.operations, kBatchOps);
    const host::ChildOutcome outcome =
        launch("random", std::to_string(index), {"--batch-ops", std::to_string(budget)});
    uint64_t failed_at = UINT64_MAX;
    uint64_t next = index;
    size_t failing_ops = 0;
    std::string key;
    for (const std::string& line : Lines(outcome.report)) {
      const std::vector<std::string> fields = Fields(line);
      if (fields[0] == "begin" && fields.size() >= 2) failed_at = std::stoull(fields[1]);
      if (fields[0] == "done" && fields.size() >= 2) next = std::stoull(fields[1]);
      if (fields[0] == "fail" && fields.size() >= 4) {
        failing_ops = std::stoul(fields[2]);
        key = fields[3];
      }
    }
    const bool finished = next != index;
    if (finished) failed_at = next;
    for (uint64_t i = index; i < failed_at && i != UINT64_MAX; ++i) {
      report.operations += SequenceOps(seed, i).size();
    }
    if (finished) {
      index = next;
      continue;
    }
    if (failed_at == UINT64_MAX) {  // It died before its first sequence.
      report.stopped = "the child running the sequences " + Abnormal(outcome);
      break;
    }
    std::vector<AbiOp> ops = SequenceOps(seed, failed_at);
    report.operations += ops.size();
    const bool abnormal = key.empty();
    if (abnormal) {
      key = Abnormal(outcome);
      failing_ops = ops.size();
    }
    ops.resize(failing_ops);
    if (seen.insert(key).second) {
      SequenceFinding finding;
      finding.row = key;
      finding.original_length = ops.size();
      // A hang would cost the whole timeout on every attempt: it is kept as found.
      if (key != "hung") ops = Shrink(ops, key, ops_file, launch);
      finding.shortest_length = ops.size();
      const std::string headline_prefix = "smapi-conform reproducer (seed " + std::to_string(seed) +
                                          ", sequence " + std::to_string(failed_at) + "): row ";
      Attempt last;
      for (int i = 0; i < kEmitTries && last.key != key; ++i) {
        last = RunOps(ops, ops_file, launch,
                      {"--emit", emit_file, "--headline", headline_prefix + key});
      }
      finding.observed = last.what.empty() ? last.key : last.what;
      if (last.key != key) {
        finding.observed = "not reproducible: the shortest sequence did not fail again in " +
                           std::to_string(kEmitTries) + " runs (the provider is not deterministic)";
      } else {
        // A provider with random handles (a tag collision, say) may fail a sequence only now and
        // then; its printed program would then pass as often as not. Such a finding is reported
        // as not reproducible rather than handed over as a reproducer.
        int confirmed = 0;
        for (int i = 0; i < kConfirmRuns; ++i) {
          confirmed += RunOps(ops, ops_file, launch).key == key;
        }
        if (confirmed != kConfirmRuns) {
          finding.observed = "not reproducible: the shortest sequence failed again in only " +
                             std::to_string(confirmed) + " of " + std::to_string(kConfirmRuns) +
                             " further runs (the provider is not deterministic)";
        }
      }
      std::ifstream program(emit_file);
      std::stringstream text;
      text << program.rdbuf();
      finding.reproducer = text.str();
      report.findings.push_back(std::move(finding));
    }
    if (abnormal) {
      report.stopped = "sequence " + std::to_string(failed_at) + " " + key;
      break;
    }
    if (report.findings.size() >= kMaxFindings) {
      report.stopped = std::to_string(kMaxFindings) + " rows broken; the rest not run";
      break;
    }
    index = failed_at + 1;
  }
  fs::remove_all(scratch, ec);
  return report;
}

}  // namespace smapi::conform
