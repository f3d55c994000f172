#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "model/claim.h"

namespace fhir837::x12 {

bool oneOf(std::string_view value, std::initializer_list<std::string_view> allowed);

// CLM07 assignment (A/B/C), CLM08 benefits assignment (Y/N/W), CLM09 release of information
// (Y/I): the same code lists on 837P and 837I.
Status checkAssignmentIndicators(const Claim& claim, const ElementContext& context);

// CLM02: the sum of the line charges, each and the total within X12's 99999999.99.
// `lineElement` names the line charge element in errors ("2400 SV102" / "2400 SV203").
Result<std::int64_t> totalChargeCents(const Claim& claim, const ElementContext& context,
                                      std::string_view lineElement);

// What both claim writers check before writing 2300: the claim's form, CLM01, the line count,
// the charges (CLM02), CLM07-09, and REF*F8 for replacements and voids (frequency 7 or 8).
struct ClaimPreamble {
  std::string claimId;           // CLM01, sanitised
  std::int64_t totalCents = 0;   // CLM02
  std::string payerClaimNumber;  // REF*F8, sanitised; empty unless needed
  bool replacesClaim = false;
};

struct ClaimShape {
  ClaimForm form;
  std::size_t maxLines;
  std::string_view lineChargeElement;  // "2400 SV102" / "2400 SV203"
};

Result<ClaimPreamble> checkClaimPreamble(const Claim& claim, const ElementContext& context,
                                         const ClaimShape& shape);

}  // namespace fhir837::x12
