#include "emitters/x12_common/x12_element_context.h"

#include "emitters/x12_common/x12_sanitizer.h"

namespace fhir837::x12 {

ElementContext ElementContext::forClaim(const Claim& claim, std::size_t index) {
  std::string clm01 = sanitizeValue(claim.patientControlNumber, 20);
  if (!clm01.empty()) return ElementContext("claim " + clm01);
  std::string label = "claim #" + std::to_string(index + 1);
  if (!claim.sourceEncounterId.empty()) {
    label += " (" + claim.sourceEncounterId + ")";
  }
  return ElementContext(std::move(label));
}

Error ElementContext::invalid(std::string_view where, std::string_view problem) const {
  return makeError(ErrorCode::kInvalidValue, label_ + ": " + std::string(problem),
                   std::string(where));
}

}  // namespace fhir837::x12
