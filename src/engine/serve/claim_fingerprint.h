#pragma once

#include <string>

#include "engine/config/app_config.h"
#include "model/claim.h"

namespace fhir837::serve {

// What a payer reads of a claim, as one hash: the claim emitted alone under a fixed envelope,
// with the frequency and REF*F8 of an original. Two codings of an encounter bill the same thing
// exactly when their fingerprints are equal (trails, control numbers and dates of sending differ
// without changing what is billed). Stable across runs and versions of the process.
std::string claimFingerprint(const AppConfig& config, Claim claim);

}  // namespace fhir837::serve
