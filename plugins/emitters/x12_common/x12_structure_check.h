#pragma once

#include <string_view>

#include "core/result.h"

namespace fhir837::x12 {

// Re-reads an emitted 837 interchange and checks the invariants pyx12 enforces (ISA length 106,
// SE01 count, ST02=SE02, GS06=GE02, ISA13=IEA02, GE01, IEA01, HL01 sequence, HL02 naming an
// earlier HL, LX restarting at each CLM) plus those it does not (HL02 parent level, HL04 against
// the children actually written, CLM02 = sum of SV102/SV203, no trailing empty element or
// component, no empty segment). Delimiters are taken from ISA; an optional CR/LF after each
// terminator is accepted. Failures are kSyntax with where = the element ("SE01", "HL04"...) and
// the segment position in the message. For tests and `fhir837 validate`; not a full TR3 check.
Status checkStructure(std::string_view text);

}  // namespace fhir837::x12
