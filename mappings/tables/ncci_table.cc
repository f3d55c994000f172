#include "tables/ncci_table.h"

#include <optional>

#include "tables/csv_lines.h"

namespace fhir837 {

Result<NcciTable> NcciTable::parse(std::string_view csv, std::string_view source) {
  NcciTable table;
  std::optional<Error> error;
  auto header = forEachCsvRow(csv, [&](std::size_t line, const std::vector<std::string>& f) {
    auto fail = [&](const char* why) {
      error = makeError(ErrorCode::kConfig, why, std::string(source) + ":" + std::to_string(line));
      return false;
    };
    if (f.size() != 5)
      return fail("expected column1,column2,modifier_indicator,valid_from,valid_to");
    if (f[0].size() != 5 || f[1].size() != 5) return fail("codes must be 5 characters");
    if (f[2] != "0" && f[2] != "1" && f[2] != "9")
      return fail("modifier_indicator must be 0, 1 or 9");
    for (const std::string* date : {&f[3], &f[4]}) {
      if (!date->empty() && date->size() != 8) return fail("dates must be CCYYMMDD");
    }
    table.add({f[0], f[1], f[2][0], f[3], f[4]});
    return true;
  });
  if (error) return *error;
  if (header != std::vector<std::string>{"column1", "column2", "modifier_indicator", "valid_from",
                                         "valid_to"}) {
    return makeError(ErrorCode::kConfig,
                     "header must be column1,column2,modifier_indicator,valid_from,valid_to",
                     std::string(source));
  }
  return table;
}

const NcciEdit* NcciTable::find(std::string_view column1, std::string_view column2,
                                std::string_view date) const {
  for (const auto& e : edits_) {
    if (e.column1 == column1 && e.column2 == column2 &&
        (e.validFrom.empty() || e.validFrom <= date) && (e.validTo.empty() || date <= e.validTo)) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace fhir837
