#pragma once

#include <string>
#include <string_view>

namespace fhir837 {

inline constexpr std::size_t kClaimIdMaxLength = 20;  // x12 map §2.5: receivers keep 20

// CLM01 from the configured prefix and a source identifier (Encounter.identifier[0].value, else
// a resource id). A source that is already upper-case letters and digits and fits in 20 chars is
// used as is. Any other source (punctuation, lower case, too long) loses information when
// sanitised, so two different sources could meet ("INF-2025-0310-001" and "INF2025.0310.001"
// both give INF20250310001): such ids are the last 14 sanitised characters, '-' and 5 base-36
// characters of a hash of the whole source. The '-' cannot occur in an id used as is, so a
// derived id never equals a verbatim one; two derived ids meet only if their hashes do.
// Empty when the source has no letter or digit.
std::string deriveClaimId(std::string_view prefix, std::string_view source);

}  // namespace fhir837
