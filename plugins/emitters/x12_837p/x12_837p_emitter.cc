#include "emitters/emitter.h"
#include "emitters/x12_837p/x12_837p_claim_writer.h"
#include "emitters/x12_common/x12_envelope_writer.h"
#include "emitters/x12_common/x12_hierarchy_writer.h"

namespace fhir837 {

namespace {
constexpr std::string_view kImplementationReference = "005010X222A1";
}  // namespace

Result<std::string> X12_837PEmitter::emit(std::span<const Claim> claims,
                                          const Envelope& envelope) const {
  if (claims.empty()) {
    return makeError(ErrorCode::kInvalidValue, "envelope: no claims to emit", "2000A");
  }
  x12::SegmentWriter writer(envelope.partner.newlineAfterSegment);
  if (auto s = x12::writeEnvelopeHeader(writer, envelope, kImplementationReference); !s) {
    return s.error();
  }
  if (auto s = x12::writeHierarchy(writer, claims, x12::writeProfessionalClaim); !s) {
    return s.error();
  }
  x12::writeEnvelopeTrailer(writer, envelope);
  if (auto s = writer.status(); !s) return s.error();
  return writer.take();
}

}  // namespace fhir837
