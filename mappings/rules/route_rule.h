#pragma once

#include "rules/rule_outcome.h"

namespace fhir837 {

// INF-D4 (coding-rules D4, R11, R31): the administration route from dosage.route, else from the
// linked MedicationRequest's first dosageInstruction. Every coding and the text must agree; a
// missing, unknown or conflicting route needs review and is never coded as an infusion.
struct RouteDecision {
  Route route = Route::kUnknown;
  RuleVerdict verdict;  // set when coding must stop
};

RouteDecision decideRoute(const EventFacts& facts, const CodingTables& tables, Trail& trail);

}  // namespace fhir837
