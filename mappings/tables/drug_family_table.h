#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

enum class DrugFamily { kTherapeutic, kChemo, kChemoHormonal };

// HCPCS -> administration family (coding-rules R13), from mappings/tables/drug_admin_family.csv.
// Also lists the immune globulins that can go either way (IV or SC) and so take JA/JB (§3).
class DrugFamilyTable {
 public:
  static Result<DrugFamilyTable> parse(std::string_view csv, std::string_view source);
  DrugFamily familyOf(std::string_view hcpcs) const;
  void add(std::string hcpcs, DrugFamily family) { families_[std::move(hcpcs)] = family; }

 private:
  std::map<std::string, DrugFamily, std::less<>> families_;
};

// J1561 and J1569 are the IG products billed for either route: JB when given SC, JA when IV
// (coding-rules §3, First Coast A57778 summary).
bool takesRouteModifier(std::string_view hcpcs);

}  // namespace fhir837
