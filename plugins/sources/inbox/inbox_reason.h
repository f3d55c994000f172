#pragma once

#include <cstdint>
#include <string>

#include "sources/inbox/inbox_intake.h"

namespace fhir837::inbox {

// The "<file>.reason.json" beside a file moved to done/ or error/: one JSON object,
//   {"file":"lines.ndjson","time":"2027-01-01T00:00:00Z","moved_to":"done","stored":3,
//    "refused_count":1,"refused":[{"where":"lines.ndjson: line 2","status":400,"code":"structure",
//                "message":"...","path":"","dead_letter":true}]}
// `time` is when the file was taken (UTC, seconds); `stored` counts the resources journaled;
// `refused` lists the parts that were not, in file order (the first IntakeOptions::maxListed of
// `refused_count`). No resource content, so no PHI.
std::string renderReason(const std::string& file, std::int64_t epochSeconds, bool error,
                         const FileReport& report);

// "2027-01-01T00:00:00Z".
std::string utcInstant(std::int64_t epochSeconds);

}  // namespace fhir837::inbox
