#pragma once

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// The 837I 2400 loops of one claim: LX, SV2, DTP*472, REF*6R and the 2410 drug identification.
// Every line must fall inside the statement period [statementFrom, statementTo] (CCYYMMDD,
// already validated by the caller). The caller has checked the line count and the charges.
Status writeInstitutionalLines(SegmentWriter& writer, const Claim& claim,
                               std::string_view statementFrom, std::string_view statementTo,
                               const ElementContext& context);

}  // namespace fhir837::x12
