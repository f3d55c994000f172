#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fhir837::codesets {

// The external code lists the 837 TR3 names for address and place-of-service elements, as
// versioned data compiled into the binary (the *.inc files in this directory, each with a
// source/version header). One copy serves the assembler's checks on FHIR data and `fhir837
// validate`, so both refuse the same codes.
struct CodeEntry {
  std::string code;
  std::string name;     // empty when the table has no names
  std::string country;  // state/province table only: "US" or "CA"
};

class CodeTable {
 public:
  // Parses "# source: ...", "# version: ..." header lines and "code|name|country" rows.
  // Malformed text is a programming error (the tables are compiled in): std::logic_error.
  CodeTable(std::string id, std::string_view text);

  const std::string& id() const { return id_; }            // "X12 code source 22"
  const std::string& source() const { return source_; }    // where the list comes from
  const std::string& version() const { return version_; }  // which edition
  const CodeEntry* find(std::string_view code) const;      // exact, case-sensitive
  // The entry whose code (any case) or full name (any case, surrounding spaces ignored)
  // is `text`; null when none or when more than one matches.
  const CodeEntry* findByCodeOrName(std::string_view text) const;
  const std::vector<CodeEntry>& entries() const { return entries_; }

 private:
  std::string id_, source_, version_;
  std::vector<CodeEntry> entries_;
};

// X12 code source 22 (States and Provinces): US states, DC, territories, military; Canada.
const CodeTable& stateProvinceCodes();
// X12 code source 5, the ISO 3166-1 alpha-2 country codes.
const CodeTable& countryCodes();
// X12 code source 237, the CMS place of service codes.
const CodeTable& placeOfServiceCodes();

// True for a US state/territory code of code source 22 (what N402 may hold without N404).
bool isUsStateCode(std::string_view code);

}  // namespace fhir837::codesets
