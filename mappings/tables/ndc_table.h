#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// One row of the NDC -> HCPCS crosswalk (coding-rules D10, R21-R24).
struct NdcHcpcsEntry {
  std::string ndc11;
  std::string hcpcs;
  std::int64_t microgramsPerUnit = 0;  // HCPCS billing-unit size (mg x 1000, exact)
  std::string validFrom, validTo;      // CCYYMMDD, inclusive; empty = open
  bool singleDose = true;
  std::string description;
};

// Normalises an NDC to 11 digits (5-4-2). Hyphenated 10-digit forms are padded in the short
// segment (4-4-2 -> 0 in front, 5-3-2 -> 0 before the product, 5-4-1 -> 0 before the package);
// 11 plain digits pass through; a bare 10-digit NDC is ambiguous and rejected.
Result<std::string> normalizeNdc(std::string_view ndc);

class NdcTable {
 public:
  // Parses mappings/tables/ndc_hcpcs.csv text; errors name the line.
  static Result<NdcTable> parse(std::string_view csv, std::string_view source);

  // The row valid on `dateCcyymmdd` for this NDC (11 digits), or nullptr.
  const NdcHcpcsEntry* find(std::string_view ndc11, std::string_view dateCcyymmdd) const;
  // Any row for this HCPCS valid on that date (unit size when the Medication names the HCPCS).
  const NdcHcpcsEntry* findHcpcs(std::string_view hcpcs, std::string_view dateCcyymmdd) const;

  void add(NdcHcpcsEntry entry) { entries_.push_back(std::move(entry)); }

 private:
  std::vector<NdcHcpcsEntry> entries_;
};

}  // namespace fhir837
