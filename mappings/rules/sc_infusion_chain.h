#pragma once

#include <vector>

#include "coding_types.h"

namespace fhir837 {

// INF-R7 / INF-D2 / INF-R5 over the SC pump infusions of one encounter, in start order: the first
// is the initial service (96369 + 96370 on the total infusing time); a later administration of the
// same drug at the same (or an unrecorded) site within 15 minutes of the previous end continues it
// (time added, overlap counted once); one with a gap over 15 minutes needs review; one at a new
// site or with another drug is the second pump set-up: 96371 x1, once per encounter.
void applyScInfusionChain(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                          const CodingPolicy& policy);

}  // namespace fhir837
