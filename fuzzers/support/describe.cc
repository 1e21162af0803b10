#include "support/describe.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace smapi::fuzz {

bool Describing() {
  static const bool describing = [] {
    if (std::getenv("SMAPI_DESCRIBE") == nullptr) return false;
    // A buffer of its own, so that stdout allocates nothing while an input runs: libFuzzer would
    // take the unmatched allocation for a leak and run the input again, printing it twice.
    static char buffer[1 << 12];
    std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
    return true;
  }();
  return describing;
}

DescribedOp::~DescribedOp() {
  std::fwrite(line_.data(), 1, line_.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

DescribedOp& DescribedOp::Field(std::string_view key, std::string_view value) {
  line_ += ' ';
  line_ += key;
  line_ += '=';
  line_ += value;
  return *this;
}

DescribedOp& DescribedOp::Num(std::string_view key, uint64_t value) {
  return Field(key, std::to_string(value));
}

DescribedOp& DescribedOp::Hex(std::string_view key, uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%#" PRIx64, value);
  return Field(key, text);
}

DescribedOp& DescribedOp::Word(std::string_view key, std::string_view word) {
  return Field(key, word);
}

DescribedOp& DescribedOp::Str(std::string_view key, std::string_view bytes) {
  std::string quoted = "\"";
  const std::string_view shown = bytes.substr(0, kShownBytes);
  for (const char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f && c != '"' && c != '\\') {
      quoted += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      quoted += escaped;
    }
  }
  quoted += '"';
  if (shown.size() < bytes.size()) quoted += "...[" + std::to_string(bytes.size()) + "]";
  return Field(key, quoted);
}

DescribedOp& DescribedOp::Arg(std::string_view key, const CStringArg& arg) {
  return arg.is_null ? Field(key, "NULL") : Str(key, arg.bytes);
}

DescribedOp& DescribedOp::Flags(std::string_view key, FLAGS flags) {
  static constexpr struct {
    FLAGS flag;
    const char* name;
  } kNames[] = {{MAPI_LOGON_UI, "MAPI_LOGON_UI"},
                {MAPI_NEW_SESSION, "MAPI_NEW_SESSION"},
                {MAPI_DIALOG, "MAPI_DIALOG"},
                {MAPI_EXTENDED, "MAPI_EXTENDED"},
                {MAPI_FORCE_DOWNLOAD, "MAPI_FORCE_DOWNLOAD"},
                {MAPI_PASSWORD_UI, "MAPI_PASSWORD_UI"}};
  if (flags == 0) return Field(key, "0");
  std::string text;
  for (const auto& [flag, name] : kNames) {
    if ((flags & flag) == 0) continue;
    text += text.empty() ? "" : "|";
    text += name;
    flags &= ~flag;
  }
  if (flags != 0) {
    char rest[16];
    std::snprintf(rest, sizeof rest, "%#x", flags);
    text += text.empty() ? "" : "|";
    text += rest;
  }
  return Field(key, text);
}

}  // namespace smapi::fuzz
