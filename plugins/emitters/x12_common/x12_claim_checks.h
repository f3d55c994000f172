#pragma once

#include <cstdint>
#include <initializer_list>
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

}  // namespace fhir837::x12
