#pragma once

#include <functional>
#include <span>

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// Writes one claim's 2300 loop and everything under it (form-specific: 837P or 837I).
using ClaimLoopWriter = std::function<Status(SegmentWriter&, const Claim&, const ElementContext&)>;

// Maximum 2300 loops under one 2000B or 2000C (pyx12 repeat count).
inline constexpr std::size_t kMaxClaimsPerHierarchy = 100;

// The HL tree shared by 837P and 837I: 2000A (PRV*BI, 2010AA), 2000B (SBR, 2010BA, 2010BB),
// 2000C (PAT, 2010CA), calling `writeClaim` for each claim where it belongs. HL01 counts from 1
// in file order, HL02 names the parent, HL04 says whether child HLs were actually written.
// A subscriber whose group holds claims of its own is the patient of those claims: SBR02 = 18
// and 2010BA N3/N4/DMG are required.
Status writeHierarchy(SegmentWriter& writer, std::span<const Claim> claims,
                      const ClaimLoopWriter& writeClaim);

}  // namespace fhir837::x12
