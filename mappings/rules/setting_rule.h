#pragma once

#include "rules/rule_outcome.h"

namespace fhir837 {

// SET-D13: inpatient stays are paid per stay (no separate drug-administration line).
// SET-D7: a professional claim at a facility POS carries no 963xx or drug line (R9).
// SET-D9: Medicare home SC immune globulin goes to the DME MAC channel (R25): review.
RuleVerdict applySettingRule(const EventFacts& facts, const CodingPolicy& policy, Trail& trail);

}  // namespace fhir837
