#pragma once

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// 837P limits (x12-837-map.md §4).
inline constexpr std::size_t kMaxProfessionalLines = 50;
inline constexpr std::size_t kMaxProfessionalDiagnoses = 12;

// One 837P 2300 loop: CLM, REF*G1, REF*F8, HI, 2310B, 2310C and the 2400/2410 service lines.
// Checks every value it writes; on the first one it cannot make valid it returns kInvalidValue
// with where = "<loop> <element>" and nothing it wrote so far should be used.
Status writeProfessionalClaim(SegmentWriter& writer, const Claim& claim,
                              const ElementContext& context);

}  // namespace fhir837::x12
