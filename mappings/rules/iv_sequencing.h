#pragma once

#include <vector>

#include "coding_types.h"

namespace fhir837 {

// IV-R14 / IV-R15 (coding-rules R12, R14, R15): one initial IV/chemo service per encounter, chosen
// by the facility hierarchy (chemo infusion > therapeutic infusion > chemo push > IV push, earliest
// first); every later service takes its subsequent code: therapeutic infusion of another drug ->
// 96367 sequential (96368 when it overlaps the initial, once per encounter) + 96366 for its extra
// hours; the same drug -> time added to the initial infusion; push of a new drug -> 96375, of the
// same drug -> 96376 (facility only, not on 837P); chemo infusion -> 96417; chemo push -> 96411.
void applyIvSequencing(const std::vector<EventFacts>& events, std::vector<EventCoding>& codings,
                       const CodingPolicy& policy);

}  // namespace fhir837
