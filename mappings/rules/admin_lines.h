#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coding_types.h"
#include "rules/admin_codes.h"

namespace fhir837 {

// The one way an administration (963xx/964xx) line is made, so the event coder and the
// encounter-level rules (SC chain, IV sequencing) date and attribute their lines alike.
CodedLine makeAdminLine(const EventFacts& facts, const AdministrationSummary& admin,
                        std::string code, std::int64_t units, TrailStep why);

// The initial code x1, then the add-on code when it has units; both lines carry `why`.
std::vector<CodedLine> adminLinesFor(const EventFacts& facts, const AdministrationSummary& admin,
                                     const AdminCodes& codes, const TrailStep& why);

// Replaces the administration lines of `coding` (keeps drug lines).
void replaceAdminLines(EventCoding& coding, std::vector<CodedLine> adminLines);

// Adds `step` to the drug lines of `coding`: an administration billed with another event still
// says on its drug line where its administration went.
void noteOnDrugLines(EventCoding& coding, const TrailStep& step);

}  // namespace fhir837
