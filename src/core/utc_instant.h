#pragma once

#include <string>

namespace fhir837 {

// Now as a FHIR instant in UTC with milliseconds ("2026-12-07T12:00:00.000Z"): the journal's
// meta.lastUpdated and the time of every daemon log line.
std::string utcInstantNow();

}  // namespace fhir837
