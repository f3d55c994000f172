#pragma once

#include "rules/rule_outcome.h"

namespace fhir837 {

// INF-D6 (coding-rules D6, R30): only a completed administration is billed now.
RuleVerdict applyStatusRule(const EventFacts& facts, Trail& trail);

}  // namespace fhir837
