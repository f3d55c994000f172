#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fhir837 {

// Minimal CSV reading for the project's own data tables: comma separated, no quoting, '#'
// comment lines and blank lines skipped. Calls `row(lineNumber, fields)` for each data row after
// the header; returns the header's fields.
template <class RowFn>
std::vector<std::string> forEachCsvRow(std::string_view csv, RowFn row);

std::vector<std::string> splitCsvLine(std::string_view line);

template <class RowFn>
std::vector<std::string> forEachCsvRow(std::string_view csv, RowFn row) {
  std::vector<std::string> header;
  std::size_t lineNumber = 0;
  while (!csv.empty()) {
    std::size_t end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (header.empty()) {
      header = splitCsvLine(line);
      continue;
    }
    if (!row(lineNumber, splitCsvLine(line))) break;
  }
  return header;
}

}  // namespace fhir837
