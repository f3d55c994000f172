#pragma once

#include <string_view>

#include "core/result.h"
#include "emitters/x12_common/x12_segment_writer.h"
#include "model/claim.h"

namespace fhir837::x12 {

// ISA, GS, ST, BHT, 1000A (NM1*41 + PER) and 1000B (NM1*40) for one interchange holding one
// group with one transaction set. `implementationReference` is GS08 = ST03 ("005010X222A1").
// Resets the writer's segment count at ST. Errors have label "envelope" and where = the element
// ("ISA06", "BHT03", "1000A PER04"...).
Status writeEnvelopeHeader(SegmentWriter& writer, const Envelope& envelope,
                           std::string_view implementationReference);

// SE (count from ST), GE, IEA. Call after writeEnvelopeHeader succeeded.
void writeEnvelopeTrailer(SegmentWriter& writer, const Envelope& envelope);

// The ST02/SE02 text: the transaction control number zero-padded to 4 digits.
std::string transactionSetControlNumber(const Envelope& envelope);

}  // namespace fhir837::x12
