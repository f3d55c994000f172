#pragma once

#include <vector>

#include "coding_types.h"

namespace fhir837 {

// Codes every event of one claim (one encounter, payer and member) together: each event alone
// (codeEvent), then the encounter-level rules — SC infusion continuation and second set-up
// (INF-R7, INF-D2/96371), IV + SC infusion review (INF-D8), IV/chemo initial-vs-subsequent
// sequencing (IV-R14/R15: 96367/96368/96375/96376/96417/96411), modifiers (MOD-*), MUE limits
// (MUE-D11) and the add-on guard (INF-R6). Returns one EventCoding per input event, same order.
std::vector<EventCoding> codeEncounter(const std::vector<EventFacts>& events,
                                       const CodingPolicy& policy, const CodingTables& tables);

}  // namespace fhir837
