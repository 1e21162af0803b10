// Crash isolation: the runner starts itself again as a child for each check, reads the lines the
// child reports, and tells an exit from a crash and from a hang. The platform halves are
// child_process_posix.cc (fork/exec, a pipe, poll and waitpid) and a Windows one (CreateProcess,
// an inherited pipe, WaitForSingleObject) with this same interface.
#ifndef SMAPI_PROVIDER_HOST_CHILD_PROCESS_H_
#define SMAPI_PROVIDER_HOST_CHILD_PROCESS_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace smapi::host {

struct ChildOutcome {
  enum class Kind {
    kExited,         // It ended by itself: exit_code, and report if it wrote one.
    kCrashed,        // A signal (POSIX) or an unhandled exception (Windows) ended it: crash.
    kHung,           // Still running at the deadline; it was killed.
    kFailedToStart,  // It never ran: error.
  };
  Kind kind = Kind::kFailedToStart;
  int exit_code = 0;
  std::string crash;   // "SIGSEGV", "SIGABRT", ... or "exception 0xC0000005".
  std::string report;  // The lines the child wrote with WriteReport, each ending in a newline.
  std::string error;
};

// The running executable's own path, to start it again.
std::string SelfPath();

// Runs `program` with `args` (what follows argv[0]) and a report channel, and waits at most
// `timeout` for it. Its standard output goes to the parent's standard error, so that nothing a
// provider prints can mix with the parent's table.
ChildOutcome RunChild(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout);

// In the child: sends one line to the parent, which reads every line sent until the child ends
// (a crash keeps what was sent before it). False when the process was not started by RunChild.
bool WriteReport(std::string_view line);

}  // namespace smapi::host

#endif  // SMAPI_PROVIDER_HOST_CHILD_PROCESS_H_
