// smapi-conform: runs the contract (docs/contract.md) against any Simple MAPI provider given by
// path. Each row runs in a fresh child process (the runner itself, started again with --child),
// so that each meets a freshly loaded provider and a crash or a hang costs one row, not the run.
// docs/conformance.md says what it prints and why some rows cannot be seen from outside.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "probe.h"
#include "provider_host/child_process.h"
#include "provider_host/provider_library.h"
#include "random_sequences.h"
#include "report.h"
#include "rows.h"

namespace smapi::conform {
namespace {

constexpr char kUsage[] =
    "usage: smapi-conform PROVIDER [--profile P] [--password W] [--capacity N] [--seed N]\n"
    "                     [--iterations N] [--json FILE] [--timeout-ms N] [--one-instance]\n"
    "  PROVIDER        a shared library exporting MAPILogon and MAPILogoff\n"
    "  --profile P     a profile the provider knows (default: default)\n"
    "  --password W    its password (default: empty)\n"
    "  --capacity N    live handles the provider holds at once (default: 4096, the contract's)\n"
    "  --seed N        seed of the random operation sequences (default: 1)\n"
    "  --iterations N  random operations in all; 0 skips them (default: 10000)\n"
    "  --json FILE     also write the report as JSON\n"
    "  --timeout-ms N  time one child (one row, one sequence) may take (default: 10000)\n"
    "  --one-instance  the library forwards to one provider per process (H4 not observable)\n"
    "Exit status: 0 when nothing failed, crashed or hung; 1 otherwise; 2 on a usage error or a\n"
    "provider that cannot be loaded.\n";

struct Options {
  std::string provider;
  std::string profile = "default";
  std::string password;
  uint32_t capacity = 4096;
  uint64_t seed = 1;
  uint64_t iterations = 10000;
  std::string json;
  uint64_t timeout_ms = 10000;
  bool one_instance = false;
  // Between the runner and its children only (random_sequences.h).
  uint64_t batch_ops = 0;
  std::string ops_file;
  std::string emit_file;
  std::string headline;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::cerr << "smapi-conform: " << problem << "\n" << kUsage;
  std::exit(2);
}

template <typename Number>
Number ParseNumber(const std::string& flag, const std::string& text) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    Usage(flag + " wants a number, not '" + text + "'");
  }
  return value;
}

// Parses argv from `first` on: the provider and the options, in any order.
Options ParseOptions(int argc, char** argv, int first) {
  Options options;
  bool have_provider = false;
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(arg + " wants a value");
      return argv[++i];
    };
    if (arg == "--profile") {
      options.profile = value();
    } else if (arg == "--password") {
      options.password = value();
    } else if (arg == "--capacity") {
      options.capacity = ParseNumber<uint32_t>(arg, value());
    } else if (arg == "--seed") {
      options.seed = ParseNumber<uint64_t>(arg, value());
    } else if (arg == "--iterations") {
      options.iterations = ParseNumber<uint64_t>(arg, value());
    } else if (arg == "--json") {
      options.json = value();
    } else if (arg == "--timeout-ms") {
      options.timeout_ms = ParseNumber<uint64_t>(arg, value());
    } else if (arg == "--batch-ops") {
      options.batch_ops = ParseNumber<uint64_t>(arg, value());
    } else if (arg == "--ops") {
      options.ops_file = value();
    } else if (arg == "--emit") {
      options.emit_file = value();
    } else if (arg == "--headline") {
      options.headline = value();
    } else if (arg == "--one-instance") {
      options.one_instance = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg.starts_with("--")) {
      Usage("unknown option " + arg);
    } else if (have_provider) {
      Usage("one provider at a time ('" + options.provider + "' and '" + arg + "')");
    } else {
      options.provider = arg;
      have_provider = true;
    }
  }
  if (!have_provider) Usage("no provider given");
  if (options.capacity == 0) Usage("--capacity must be at least 1");
  return options;
}

// What a child needs to meet the same provider: everything but the parent's own outputs.
std::vector<std::string> ChildArgs(const Options& options, const std::string& mode,
                                   const std::string& what) {
  std::vector<std::string> args = {"--child",      mode,
                                   what,           options.provider,
                                   "--profile",    options.profile,
                                   "--password",   options.password,
                                   "--capacity",   std::to_string(options.capacity),
                                   "--seed",       std::to_string(options.seed),
                                   "--iterations", std::to_string(options.iterations)};
  if (options.one_instance) args.push_back("--one-instance");
  return args;
}

Target Load(const Options& options, std::unique_ptr<host::ProviderLibrary>& library) {
  std::string error;
  library = host::ProviderLibrary::Open(options.provider, &error);
  if (!library) {
    // A child tells its parent, which prints the one line; run by hand, it prints it itself.
    if (!host::WriteReport("error\t" + error)) std::cerr << "smapi-conform: " << error << "\n";
    std::exit(2);
  }
  Target target;
  target.library = options.provider;
  target.logon = library->logon();
  target.logoff = library->logoff();
  target.profile = options.profile;
  target.password = options.password;
  target.capacity = options.capacity;
  target.one_instance = options.one_instance;
  return target;
}

// --child MODE WHAT PROVIDER [options]: loads the provider and runs one thing (a row, a batch of
// random sequences, one given sequence), reporting on the channel RunChild opened.
int ChildMain(int argc, char** argv) {
  if (argc < 5) Usage("--child wants MODE WHAT PROVIDER");
  const std::string mode = argv[2];
  const std::string what = argv[3];
  const Options options = ParseOptions(argc, argv, 4);
  std::unique_ptr<host::ProviderLibrary> library;
  const Target target = Load(options, library);
  if (mode == "load") {
    host::WriteReport("ok");
    return 0;
  }
  if (mode == "row") {
    const Row* row = FindRow(what);
    if (row == nullptr || row->check == nullptr) Usage("no observable row " + what);
    RowResult result;
    try {
      result = row->check(target);
    } catch (const Mismatch& mismatch) {
      result = {Verdict::kFail, mismatch.observed};
    }
    host::WriteReport(std::string(VerdictText(result.verdict)) + "\t" + result.observed);
    return 0;
  }
  if (mode == "random") {
    return RunBatchInChild(target, options.seed, ParseNumber<uint64_t>("--child random", what),
                           options.batch_ops);
  }
  if (mode == "ops") {
    return RunOpsInChild(target, options.ops_file, options.emit_file, options.headline);
  }
  Usage("unknown child mode " + mode);
}

// Loads the provider in a child first: a library whose loading crashes must not take the runner
// with it, and the one-line errors and exit status 2 must come from here.
void CheckLoadable(const Options& options) {
  const host::ChildOutcome outcome =
      host::RunChild(host::SelfPath(), ChildArgs(options, "load", "-"),
                     std::chrono::milliseconds(options.timeout_ms));
  std::string problem;
  switch (outcome.kind) {
    case host::ChildOutcome::Kind::kExited:
      if (outcome.report == "ok\n") return;
      if (outcome.report.starts_with("error\t")) {
        problem = outcome.report.substr(6, outcome.report.find('\n') - 6);
      } else {
        problem = options.provider + ": loading it ended the process with status " +
                  std::to_string(outcome.exit_code);
      }
      break;
    case host::ChildOutcome::Kind::kCrashed:
      problem = options.provider + ": crashed while loading (" + outcome.crash + ")";
      break;
    case host::ChildOutcome::Kind::kHung:
      problem = options.provider + ": loading it did not finish within " +
                std::to_string(options.timeout_ms) + " ms";
      break;
    case host::ChildOutcome::Kind::kFailedToStart:
      problem = "cannot start a child process: " + outcome.error;
      break;
  }
  std::cerr << "smapi-conform: " << problem << "\n";
  std::exit(2);
}

RowReport RunRow(const Options& options, const Row& row) {
  RowReport report{row.id, row.situation, row.expected, "", Verdict::kNotObservable};
  if (row.check == nullptr) {
    report.observed = row.unobservable;
    return report;
  }
  const host::ChildOutcome outcome =
      host::RunChild(host::SelfPath(), ChildArgs(options, "row", row.id),
                     std::chrono::milliseconds(options.timeout_ms));
  switch (outcome.kind) {
    case host::ChildOutcome::Kind::kExited: {
      const std::string line = outcome.report.substr(0, outcome.report.find('\n'));
      const size_t tab = line.find('\t');
      const std::string verdict = line.substr(0, tab);
      const std::string observed = tab == std::string::npos ? "" : line.substr(tab + 1);
      for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kNotObservable}) {
        if (verdict == VerdictText(v)) {
          report.verdict = v;
          report.observed = observed;
          return report;
        }
      }
      // The provider ended the process itself (exit() or _exit()) in the middle of the row.
      report.verdict = Verdict::kCrashed;
      report.observed = "the process exited with status " + std::to_string(outcome.exit_code) +
                        " in the middle of the row";
      return report;
    }
    case host::ChildOutcome::Kind::kCrashed:
      report.verdict = Verdict::kCrashed;
      report.observed = "crashed (" + outcome.crash + ")";
      return report;
    case host::ChildOutcome::Kind::kHung:
      report.verdict = Verdict::kHung;
      report.observed = "no result within " + std::to_string(options.timeout_ms) + " ms; killed";
      return report;
    case host::ChildOutcome::Kind::kFailedToStart:
      report.verdict = Verdict::kFail;
      report.observed = "the child process did not start: " + outcome.error;
      return report;
  }
  return report;
}

int ParentMain(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv, 1);
  CheckLoadable(options);

  Report report;
  report.provider = options.provider;
  report.profile = options.profile;
  for (const Row& row : ContractRows()) report.rows.push_back(RunRow(options, row));
  report.random = RunRandomSequences(
      options.seed, options.iterations,
      [&](const std::string& mode, const std::string& what, const std::vector<std::string>& extra) {
        std::vector<std::string> args = ChildArgs(options, mode, what);
        args.insert(args.end(), extra.begin(), extra.end());
        return host::RunChild(host::SelfPath(), args,
                              std::chrono::milliseconds(options.timeout_ms));
      });

  PrintTable(report, std::cout);
  PrintRandom(report, std::cout);
  if (!options.json.empty()) {
    std::ofstream json(options.json);
    WriteJson(report, json);
    if (!json) {
      std::cerr << "smapi-conform: cannot write " << options.json << "\n";
      return 2;
    }
  }
  return Passed(report) ? 0 : 1;
}

}  // namespace
}  // namespace smapi::conform

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--child") == 0) {
    return smapi::conform::ChildMain(argc, argv);
  }
  return smapi::conform::ParentMain(argc, argv);
}
