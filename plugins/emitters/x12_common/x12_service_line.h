#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "emitters/x12_common/x12_element_context.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// Pieces of the 2300/2400/2410 loops whose rules are the same in 837P and 837I.

inline constexpr std::size_t kMaxModifiers = 4;
// SV104 (837P) and SV205 (837I) are 8 digits at most.
inline constexpr std::int64_t kMaxUnits = 99'999'999;

// "line 3: <problem>" (1-based), so a message names the line without quoting its values.
std::string lineLabel(std::size_t lineIndex, std::string_view problem);

// ICD-10-CM as X12 wants it: upper case, no dot. Empty when nothing usable is left.
std::string diagnosisCode(std::string_view raw);
// 3 to 7 upper-case letters and digits (the result of diagnosisCode for a real code).
bool isValidDiagnosisCode(std::string_view code);

// The HC:code:mod1..mod4 composite of SV101 (837P) or SV202 (837I). `element` names it in
// errors: "<element>-2" empty code, "<element>" more than 4 modifiers, "<element>-3" a modifier
// that is not 2 letters/digits. Where strings are prefixed with "2400 ".
Result<std::vector<std::string>> procedureComposite(const ServiceLine& line, std::size_t lineIndex,
                                                    const ElementContext& context,
                                                    std::string_view element);

// DTP*472 with D8 for one day, RD8 for a range; "2400 DTP03" when the dates are not valid.
Result<Segment> serviceDateSegment(const ServiceLine& line, std::size_t lineIndex,
                                   const ElementContext& context);

// 2410: LIN**N4*<ndc11> + CTP****<quantity>*<unit>. Errors at "2410 LIN03", "2410 CTP04",
// "2410 CTP05-1".
Status writeDrugIdentification(SegmentWriter& writer, const DrugIdentification& drug,
                               std::size_t lineIndex, const ElementContext& context);

// One 2400 loop once its service segment (SV1 or SV2) and DTP*472 are made: LX, the service
// segment, DTP*472, REF*6R when the line has a control number, and the 2410 drug loop.
Status writeServiceLine(SegmentWriter& writer, const ServiceLine& line, std::size_t lineIndex,
                        const Segment& service, const Segment& serviceDate,
                        const ElementContext& context);

}  // namespace fhir837::x12
