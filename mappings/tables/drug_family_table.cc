#include "tables/drug_family_table.h"

#include <optional>

#include "tables/csv_lines.h"

namespace fhir837 {

Result<DrugFamilyTable> DrugFamilyTable::parse(std::string_view csv, std::string_view source) {
  DrugFamilyTable table;
  std::optional<Error> error;
  auto header = forEachCsvRow(csv, [&](std::size_t line, const std::vector<std::string>& f) {
    DrugFamily family;
    if (f.size() == 3 && f[1] == "chemo") {
      family = DrugFamily::kChemo;
    } else if (f.size() == 3 && f[1] == "chemo-hormonal") {
      family = DrugFamily::kChemoHormonal;
    } else if (f.size() == 3 && f[1] == "therapeutic") {
      family = DrugFamily::kTherapeutic;
    } else {
      error = makeError(ErrorCode::kConfig,
                        "expected hcpcs,chemo|chemo-hormonal|therapeutic,description",
                        std::string(source) + ":" + std::to_string(line));
      return false;
    }
    if (f[0].size() != 5) {
      error = makeError(ErrorCode::kConfig, "hcpcs must be 5 characters",
                        std::string(source) + ":" + std::to_string(line));
      return false;
    }
    table.add(f[0], family);
    return true;
  });
  if (error) return *error;
  if (header != std::vector<std::string>{"hcpcs", "family", "description"}) {
    return makeError(ErrorCode::kConfig, "header must be hcpcs,family,description",
                     std::string(source));
  }
  return table;
}

DrugFamily DrugFamilyTable::familyOf(std::string_view hcpcs) const {
  auto it = families_.find(hcpcs);
  return it == families_.end() ? DrugFamily::kTherapeutic : it->second;
}

bool takesRouteModifier(std::string_view hcpcs) { return hcpcs == "J1561" || hcpcs == "J1569"; }

}  // namespace fhir837
