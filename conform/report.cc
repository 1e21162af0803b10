#include "report.h"

#include <cstdio>

namespace smapi::conform {
namespace {

std::string Cell(const std::string& text) {
  std::string cell;
  for (char c : text) {
    if (c == '|') cell += '\\';
    cell += c == '\n' ? ' ' : c;
  }
  return cell;
}

std::string Json(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

bool Bad(Verdict verdict) {
  return verdict == Verdict::kFail || verdict == Verdict::kCrashed || verdict == Verdict::kHung;
}

}  // namespace

bool Passed(const Report& report) {
  for (const RowReport& row : report.rows) {
    if (Bad(row.verdict)) return false;
  }
  return report.random.findings.empty() && report.random.stopped.empty();
}

void PrintTable(const Report& report, std::ostream& out) {
  out << "| row | situation | expected | observed | verdict |\n";
  out << "|---|---|---|---|---|\n";
  int counts[5] = {};
  for (const RowReport& row : report.rows) {
    out << "| " << row.id << " | " << Cell(row.situation) << " | " << Cell(row.expected) << " | "
        << Cell(row.observed) << " | " << VerdictText(row.verdict) << " |\n";
    ++counts[static_cast<int>(row.verdict)];
  }
  out << "\n"
      << report.rows.size() << " rows: " << counts[0] << " pass, " << counts[1] << " fail, "
      << counts[2] << " crashed, " << counts[3] << " hung, " << counts[4] << " not observable\n";
}

void PrintRandom(const Report& report, std::ostream& out) {
  const RandomReport& random = report.random;
  if (!random.ran) return;
  out << "\nrandom sequences: seed " << random.seed << ", " << random.operations << " of "
      << random.iterations << " operations run, " << random.findings.size()
      << " contract rows broken\n";
  if (!random.stopped.empty()) out << "  stopped: " << random.stopped << "\n";
  for (const SequenceFinding& finding : random.findings) {
    out << "\n"
        << finding.row << ": " << finding.observed
        << "\n  shortest failing sequence: " << finding.shortest_length
        << " operations (found after " << finding.original_length
        << "), then the hand-back; as a C program:\n\n"
        << finding.reproducer << "\n";
  }
}

void WriteJson(const Report& report, std::ostream& out) {
  out << "{\n  \"provider\": " << Json(report.provider)
      << ",\n  \"profile\": " << Json(report.profile)
      << ",\n  \"passed\": " << (Passed(report) ? "true" : "false") << ",\n  \"rows\": [";
  const char* separator = "\n";
  for (const RowReport& row : report.rows) {
    out << separator << "    {\"id\": " << Json(row.id)
        << ", \"situation\": " << Json(row.situation) << ", \"expected\": " << Json(row.expected)
        << ", \"observed\": " << Json(row.observed)
        << ", \"verdict\": " << Json(VerdictText(row.verdict)) << "}";
    separator = ",\n";
  }
  out << "\n  ]";
  const RandomReport& random = report.random;
  if (random.ran) {
    out << ",\n  \"random\": {\"seed\": " << random.seed
        << ", \"iterations\": " << random.iterations << ", \"operations\": " << random.operations
        << ", \"stopped\": " << Json(random.stopped) << ", \"findings\": [";
    separator = "\n";
    for (const SequenceFinding& finding : random.findings) {
      out << separator << "    {\"row\": " << Json(finding.row)
          << ", \"observed\": " << Json(finding.observed)
          << ", \"original_length\": " << finding.original_length
          << ", \"shortest_length\": " << finding.shortest_length
          << ", \"reproducer\": " << Json(finding.reproducer) << "}";
      separator = ",\n";
    }
    out << "\n  ]}";
  }
  out << "\n}\n";
}

}  // namespace smapi::conform
