#pragma once

#include "coding_types.h"

namespace fhir837 {

// Codes one drug-administration event: status (INF-D6), setting (SET-D13, SET-D7, SET-D9), route
// (INF-D4), infusion evidence (INF-D3), timing (INF-D5), duration units (INF-D1) and the drug line
// (DRUG-D10). Pure: same facts, policy and tables give the same coding.
EventCoding codeEvent(const EventFacts& facts, const CodingPolicy& policy,
                      const CodingTables& tables);

}  // namespace fhir837
