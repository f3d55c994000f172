#pragma once

#include <cstddef>

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// 837I limits (x12-837-map.md §3, §4).
inline constexpr std::size_t kMaxInstitutionalLines = 999;
inline constexpr std::size_t kOtherDiagnosesPerSegment = 12;
inline constexpr std::size_t kMaxOtherDiagnosisSegments = 2;

// One 837I 2300 loop: CLM, DTP*434, CL1, REF*G1, REF*F8, HI (ABK), HI (ABF...), 2310A attending,
// 2310E service facility and the 2400/2410 service lines. Checks every value it writes; on the
// first one it cannot make valid it returns kInvalidValue with where = "<loop> <element>" and
// nothing it wrote so far should be used.
Status writeInstitutionalClaim(SegmentWriter& writer, const Claim& claim,
                               const ElementContext& context);

// 2010AA rules that are stricter in 837I than in the shared hierarchy writer (NM102 must be 2).
// Checked for every claim before anything is written.
Status checkInstitutionalBillingProvider(const Claim& claim, const ElementContext& context);

}  // namespace fhir837::x12
