#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coding_types.h"

namespace fhir837 {

// The CPT codes of one administration on its own (before the encounter-level rules), by family
// and duration. `minutes` < 0 means "no duration" (a push/injection given at an instant).
struct AdminCodes {
  AdminKind kind = AdminKind::kNone;
  std::string initialCode;  // 96369 / 96372 / 96365 / 96374 / 96401 / 96402 / 96413 / 96409
  std::string addOnCode;    // 96370 / 96366 / 96415, empty when none applies
  std::int64_t addOnUnits = 0;
  std::string rule;    // INF-D1, IV-R12, CHEMO-R13...
  std::string detail;  // for the trail
};

// SC with pump evidence: INF-D1 (<= 15 min -> 96372; else 96369 + 96370 units).
AdminCodes scInfusionCodes(std::int64_t minutes, const AddOnPolicy& policy);
// IV therapeutic: IV-R12 (> 15 min infusion -> 96365 + 96366 units; else push 96374).
AdminCodes ivCodes(std::int64_t minutes, const AddOnPolicy& policy);
// Chemotherapy / complex drug: CHEMO-R13 (SC/IM 96401, hormonal 96402; IV 96413 + 96415 or push
// 96409).
AdminCodes chemoCodes(Route route, DrugFamily family, std::int64_t minutes,
                      const AddOnPolicy& policy);

}  // namespace fhir837
