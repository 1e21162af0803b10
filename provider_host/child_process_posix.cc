#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "child_process.h"

namespace smapi::host {
namespace {

// The report channel's file descriptor, handed to the child through its environment.
constexpr char kReportVariable[] = "SMAPI_CONFORM_REPORT_FD";
constexpr size_t kMaxReport = 1 << 16;

std::string SignalName(int signal) {
  switch (signal) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    case SIGTRAP:
      return "SIGTRAP";
    case SIGSYS:
      return "SIGSYS";
    case SIGKILL:
      return "SIGKILL";
    case SIGTERM:
      return "SIGTERM";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    default:
      return "signal " + std::to_string(signal);
  }
}

// Sanitizers in the child would catch a provider's SIGSEGV and exit with a status of their own;
// let the signal end the child instead, and turn a sanitizer report into SIGABRT, so that every
// crash reads as one.
void LetSignalsThrough() {
  for (const char* name : {"ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"}) {
    const char* old = std::getenv(name);
    std::string value = old ? old : "";
    if (!value.empty()) value += ':';
    value += "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";
    if (std::strcmp(name, "ASAN_OPTIONS") == 0) value += ":abort_on_error=1";
    setenv(name, value.c_str(), 1);
  }
}

}  // namespace

std::string SelfPath() {
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/self/exe", ec).string();
}

ChildOutcome RunChild(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout) {
  ChildOutcome outcome;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    outcome.error = std::string("pipe: ") + std::strerror(errno);
    return outcome;
  }
  std::vector<std::string> argv_storage;
  argv_storage.push_back(program);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string fd_text = std::to_string(fds[1]);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const pid_t pid = fork();
  if (pid < 0) {
    outcome.error = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return outcome;
  }
  if (pid == 0) {
    // Only async-signal-safe calls until exec would be strictly required in a threaded parent;
    // the runner's parent is single-threaded.
    setpgid(0, 0);  // Its own group, so a hang is killed with anything it started.
    close(fds[0]);
    fcntl(fds[1], F_SETFD, 0);  // The write end survives exec.
    dup2(STDERR_FILENO, STDOUT_FILENO);
    setenv(kReportVariable, fd_text.c_str(), 1);
    LetSignalsThrough();
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  setpgid(pid, pid);  // As the child does: whichever runs first.

  // Read until the child closes its end (it exited) or the deadline passes.
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd poll_fd{fds[0], POLLIN, 0};
    const int ready = poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // Timed out: the loop's check says so.
    char buffer[4096];
    const ssize_t got = read(fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (outcome.report.size() < kMaxReport) outcome.report.append(buffer, got);
  }
  close(fds[0]);

  // Closing the channel need not mean the child is done (it may close it and hang): wait until
  // the deadline, then kill it and everything in its group.
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      outcome.error = std::string("waitpid: ") + std::strerror(errno);
      return outcome;
    }
    if (timed_out || std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (timed_out) {
    outcome.kind = ChildOutcome::Kind::kHung;
  } else if (WIFSIGNALED(status)) {
    outcome.kind = ChildOutcome::Kind::kCrashed;
    outcome.crash = SignalName(WTERMSIG(status));
  } else {
    outcome.kind = ChildOutcome::Kind::kExited;
    outcome.exit_code = WEXITSTATUS(status);
  }
  return outcome;
}

bool WriteReport(std::string_view line) {
  const char* fd_text = std::getenv(kReportVariable);
  if (fd_text == nullptr) return false;
  const int fd = std::atoi(fd_text);
  std::string text(line);
  text += '\n';
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace smapi::host
