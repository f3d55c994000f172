#pragma once

#include <cstdint>
#include <string>

namespace fhir837::serve {

// Wall-clock reads of the journal: when a version or dead letter was received.
std::int64_t journalEpochNow();
// An instant as FHIR writes it (meta.lastUpdated): UTC with milliseconds, "...T12:00:00.000Z".
std::string journalInstantNow();

}  // namespace fhir837::serve
