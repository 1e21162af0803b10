// The Windows half of the child processes: CreateProcess with an inherited pipe for the report,
// the child's standard output sent to the parent's standard error, a deadline kept by polling,
// and a crash told by its exit code: an unhandled exception ends a process with the exception's
// code (0xC0000005 for an access violation), an NTSTATUS with the error severity.
#include <windows.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "child_process.h"

namespace smapi::host {
namespace {

// The report channel's handle, handed to the child through its environment.
constexpr char kReportVariable[] = "SMAPI_CONFORM_REPORT_HANDLE";
constexpr size_t kMaxReport = 1 << 16;

std::string ErrorText(const char* what) {
  return std::string(what) + ": error " + std::to_string(GetLastError());
}

// One argument quoted so that the child's C runtime splits the command line back into exactly
// that argument (backslashes double only before a quote).
void AppendQuoted(const std::string& arg, std::string* line) {
  if (!line->empty()) line->push_back(' ');
  if (!arg.empty() && arg.find_first_of(" \t\n\v\"") == std::string::npos) {
    line->append(arg);
    return;
  }
  line->push_back('"');
  size_t backslashes = 0;
  for (const char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    line->append(c == '"' ? 2 * backslashes + 1 : backslashes, '\\');
    backslashes = 0;
    line->push_back(c);
  }
  line->append(2 * backslashes, '\\');
  line->push_back('"');
}

// Appends what the pipe holds now, without blocking. False once every writer has closed it.
bool DrainAvailable(HANDLE pipe, std::string* report) {
  for (;;) {
    DWORD available = 0;
    if (!PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) return false;
    if (available == 0) return true;
    char buffer[4096];
    DWORD got = 0;
    const DWORD want = std::min<DWORD>(available, sizeof buffer);
    if (!ReadFile(pipe, buffer, want, &got, nullptr) || got == 0) return false;
    if (report->size() < kMaxReport) report->append(buffer, got);
  }
}

// An inheritable copy of one of this process's standard handles, or null when it has none.
HANDLE InheritableCopy(DWORD which) {
  HANDLE original = GetStdHandle(which);
  HANDLE copy = nullptr;
  if (original == nullptr || original == INVALID_HANDLE_VALUE ||
      !DuplicateHandle(GetCurrentProcess(), original, GetCurrentProcess(), &copy, 0, TRUE,
                       DUPLICATE_SAME_ACCESS)) {
    return nullptr;
  }
  return copy;
}

std::string ExceptionText(DWORD code) {
  char text[32];
  std::snprintf(text, sizeof text, "exception 0x%08lX", static_cast<unsigned long>(code));
  return text;
}

}  // namespace

std::string SelfPath() {
  std::vector<char> path(MAX_PATH);
  for (;;) {
    const DWORD n = GetModuleFileNameA(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return "";
    if (n < path.size()) return std::string(path.data(), n);
    path.resize(path.size() * 2);
  }
}

ChildOutcome RunChild(const std::string& program, const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout) {
  ChildOutcome outcome;
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE read_end = nullptr;
  HANDLE write_end = nullptr;
  if (!CreatePipe(&read_end, &write_end, &inherit, 0)) {
    outcome.error = ErrorText("CreatePipe");
    return outcome;
  }
  SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);  // Only the write end goes across.

  std::string command_line;
  AppendQuoted(program, &command_line);
  for (const std::string& arg : args) AppendQuoted(arg, &command_line);

  STARTUPINFOA startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = InheritableCopy(STD_INPUT_HANDLE);
  startup.hStdOutput = InheritableCopy(STD_ERROR_HANDLE);
  startup.hStdError = InheritableCopy(STD_ERROR_HANDLE);

  // The child inherits this error mode: a crash ends it with its exception code instead of
  // starting a debugger (Wine's winedbg) or showing a dialog box.
  SetErrorMode(GetErrorMode() | SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX |
               SEM_NOOPENFILEERRORBOX);
  const std::string handle_text =
      std::to_string(reinterpret_cast<uintptr_t>(write_end));  // Handles are the same value there.
  SetEnvironmentVariableA(kReportVariable, handle_text.c_str());
  PROCESS_INFORMATION process{};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const BOOL started = CreateProcessA(program.c_str(), command_line.data(), nullptr, nullptr, TRUE,
                                      0, nullptr, nullptr, &startup, &process);
  if (!started) outcome.error = ErrorText("CreateProcess");
  SetEnvironmentVariableA(kReportVariable, nullptr);
  for (HANDLE handle : {startup.hStdInput, startup.hStdOutput, startup.hStdError, write_end}) {
    if (handle != nullptr) CloseHandle(handle);
  }
  if (!started) {
    CloseHandle(read_end);
    return outcome;
  }
  CloseHandle(process.hThread);

  // Read what the child reports while waiting for it to end, until the deadline.
  bool open = true;
  bool timed_out = false;
  for (;;) {
    if (open) open = DrainAvailable(read_end, &outcome.report);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    // Poll the pipe every millisecond while it is open; afterwards only the process matters.
    const DWORD wait =
        open ? 1 : static_cast<DWORD>(std::min<long long>(left.count(), INFINITE - 1));
    if (WaitForSingleObject(process.hProcess, wait) == WAIT_OBJECT_0) break;
  }
  if (timed_out) {
    TerminateProcess(process.hProcess, 1);
    WaitForSingleObject(process.hProcess, INFINITE);
    outcome.kind = ChildOutcome::Kind::kHung;
  } else {
    if (open) DrainAvailable(read_end, &outcome.report);  // What it wrote just before it ended.
    DWORD code = 0;
    GetExitCodeProcess(process.hProcess, &code);
    if ((code & 0xF0000000u) == 0xC0000000u) {
      outcome.kind = ChildOutcome::Kind::kCrashed;
      outcome.crash = ExceptionText(code);
    } else {
      outcome.kind = ChildOutcome::Kind::kExited;
      outcome.exit_code = static_cast<int>(code);
    }
  }
  CloseHandle(process.hProcess);
  CloseHandle(read_end);
  return outcome;
}

bool WriteReport(std::string_view line) {
  // GetEnvironmentVariable, not getenv: the C runtime's copy is taken once, at start-up.
  char handle_text[32];
  const DWORD n = GetEnvironmentVariableA(kReportVariable, handle_text, sizeof handle_text);
  if (n == 0 || n >= sizeof handle_text) return false;
  HANDLE pipe =
      reinterpret_cast<HANDLE>(static_cast<uintptr_t>(std::strtoull(handle_text, nullptr, 10)));
  std::string text(line);
  text += '\n';
  size_t written = 0;
  while (written < text.size()) {
    DWORD n_written = 0;
    if (!WriteFile(pipe, text.data() + written, static_cast<DWORD>(text.size() - written),
                   &n_written, nullptr) ||
        n_written == 0) {
      return false;
    }
    written += n_written;
  }
  return true;
}

}  // namespace smapi::host
