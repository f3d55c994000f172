#pragma once

#include <string>
#include <vector>

namespace fhir837 {

// One step of the explanation behind a derived value: which rule fired, what it read, what it
// concluded. `fhir837 explain` and report.json print these; an auditor must be able to follow them.
struct TrailStep {
  std::string rule;                     // e.g. "INF-D1"
  std::vector<std::string> inputs;      // FHIR paths read, e.g. "MedicationAdministration/ma1.effectivePeriod"
  std::string detail;                   // e.g. "95 min -> 96369 x1 + 96370 x1"
  bool operator==(const TrailStep&) const = default;
};

using Trail = std::vector<TrailStep>;

}  // namespace fhir837
