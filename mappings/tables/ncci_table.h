#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// One NCCI procedure-to-procedure edit (coding-rules R16, D11): column-2 code is bundled into the
// column-1 code on the same date, unless the modifier indicator (1) allows a bypass modifier.
struct NcciEdit {
  std::string column1, column2;
  char modifierIndicator = '0';    // '0' never bypass, '1' bypass with 59/X{EPSU}, '9' deleted
  std::string validFrom, validTo;  // CCYYMMDD inclusive; empty = open
};

// The CMS quarterly PTP file, reduced to CSV (column1,column2,modifier_indicator,valid_from,
// valid_to); optional (engine.ncci_ptp_table): without it only the once-per-encounter limits apply.
class NcciTable {
 public:
  static Result<NcciTable> parse(std::string_view csv, std::string_view source);
  // The edit in force on `date` for this pair (column1, column2), or nullptr.
  const NcciEdit* find(std::string_view column1, std::string_view column2,
                       std::string_view date) const;
  bool empty() const { return edits_.empty(); }
  void add(NcciEdit edit) { edits_.push_back(std::move(edit)); }

 private:
  std::vector<NcciEdit> edits_;
};

}  // namespace fhir837
