#include "emitters/emitter.h"
#include "emitters/x12_837i/x12_837i_claim_writer.h"
#include "emitters/x12_common/x12_envelope_writer.h"
#include "emitters/x12_common/x12_hierarchy_writer.h"

namespace fhir837 {

namespace {
constexpr std::string_view kImplementationReference = "005010X223A2";
}  // namespace

Result<std::string> X12_837IEmitter::emit(std::span<const Claim> claims,
                                          const Envelope& envelope) const {
  if (claims.empty()) {
    return makeError(ErrorCode::kInvalidValue, "envelope: no claims to emit", "2000A");
  }
  // The shared hierarchy writer accepts a person as billing provider (837P allows it); 837I
  // does not, so refuse before writing anything.
  for (std::size_t i = 0; i < claims.size(); ++i) {
    auto context = x12::ElementContext::forClaim(claims[i], i);
    if (auto s = x12::checkInstitutionalBillingProvider(claims[i], context); !s) return s.error();
  }
  x12::SegmentWriter writer(envelope.partner.newlineAfterSegment);
  if (auto s = x12::writeEnvelopeHeader(writer, envelope, kImplementationReference); !s) {
    return s.error();
  }
  if (auto s = x12::writeHierarchy(writer, claims, x12::writeInstitutionalClaim); !s) {
    return s.error();
  }
  x12::writeEnvelopeTrailer(writer, envelope);
  if (auto s = writer.status(); !s) return s.error();
  return writer.take();
}

}  // namespace fhir837
