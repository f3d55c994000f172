#include "engine/codesets/code_tables.h"

#include <cctype>
#include <stdexcept>

namespace fhir837::codesets {

namespace {

constexpr std::string_view kStateProvinceText =
#include "engine/codesets/state_province_codes.inc"
    ;
constexpr std::string_view kCountryText =
#include "engine/codesets/country_codes.inc"
    ;
constexpr std::string_view kPlaceOfServiceText =
#include "engine/codesets/place_of_service_codes.inc"
    ;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

CodeTable::CodeTable(std::string id, std::string_view text) : id_(std::move(id)) {
  for (std::string_view line : split(text, '\n')) {
    line = trim(line);
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (line.substr(0, 9) == "# source:") source_ = std::string(trim(line.substr(9)));
      if (line.substr(0, 10) == "# version:") version_ = std::string(trim(line.substr(10)));
      continue;
    }
    auto columns = split(line, '|');
    CodeEntry entry;
    entry.code = std::string(trim(columns[0]));
    if (columns.size() > 1) entry.name = std::string(trim(columns[1]));
    if (columns.size() > 2) entry.country = std::string(trim(columns[2]));
    if (entry.code.empty() || columns.size() > 3 || find(entry.code)) {
      throw std::logic_error(id_ + ": malformed or duplicate row " + std::string(line));
    }
    entries_.push_back(std::move(entry));
  }
  if (source_.empty() || version_.empty() || entries_.empty()) {
    throw std::logic_error(id_ + ": table needs a source, a version and rows");
  }
}

const CodeEntry* CodeTable::find(std::string_view code) const {
  for (const auto& entry : entries_) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

const CodeEntry* CodeTable::findByCodeOrName(std::string_view text) const {
  text = trim(text);
  if (text.empty()) return nullptr;
  const CodeEntry* found = nullptr;
  for (const auto& entry : entries_) {
    if (equalsIgnoringCase(entry.code, text) ||
        (!entry.name.empty() && equalsIgnoringCase(entry.name, text))) {
      if (found && found != &entry) return nullptr;  // ambiguous
      found = &entry;
    }
  }
  return found;
}

const CodeTable& stateProvinceCodes() {
  static const CodeTable table("X12 code source 22 (states and provinces)", kStateProvinceText);
  return table;
}

const CodeTable& countryCodes() {
  static const CodeTable table("X12 code source 5 (ISO 3166-1 countries)", kCountryText);
  return table;
}

const CodeTable& placeOfServiceCodes() {
  static const CodeTable table("X12 code source 237 (CMS place of service)", kPlaceOfServiceText);
  return table;
}

bool isUsStateCode(std::string_view code) {
  const CodeEntry* entry = stateProvinceCodes().find(code);
  return entry != nullptr && entry->country == "US";
}

}  // namespace fhir837::codesets
