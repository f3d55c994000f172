#include "engine/serve/claim_fingerprint.h"

#include "engine/interchange_writer.h"
#include "engine/serve/content_hash.h"

namespace fhir837::serve {

std::string claimFingerprint(const AppConfig& config, Claim claim) {
  claim.frequencyCode = "1";
  claim.payerClaimControlNumber.clear();
  const FixedClock epoch(0);
  auto emitted =
      emitterFor(claim.form).emit(std::span<const Claim>(&claim, 1), envelopeFor(config, epoch, 1));
  // A claim that cannot be emitted never went out; its error still tells two codings apart.
  return sha256Hex(emitted ? *emitted : "unemittable: " + emitted.error().describe());
}

}  // namespace fhir837::serve
