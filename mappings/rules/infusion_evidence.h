#pragma once

#include <string>
#include <vector>

#include "coding_types.h"

namespace fhir837 {

// INF-D3 (coding-rules D3): evidence that a pump infusion happened, as opposed to an injection.
// A period alone is not evidence (R4 medadmin0308: SC insulin with a 10-hour period is one
// injection). Returns the FHIR paths that prove an infusion; empty means no evidence.
std::vector<std::string> findInfusionEvidence(const EventFacts& facts);

}  // namespace fhir837
