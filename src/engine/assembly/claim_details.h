#pragma once

#include "engine/assembly/claim_assembler.h"

namespace fhir837 {

// Second half of assembleAdministration: diagnoses (CTX-DX), place of service (CTX-POS), service
// facility, claim form (CTX-FORM) with its 837I header (attending, statement period, type of
// bill), claim id (CLM01) and the claim grouping key. `encounter` may be null.
Result<AssembledEvent> assembleClaimDetails(AssembledEvent& event, const AnyResource& resource,
                                            const ResourceScope& scope, const AppConfig& config,
                                            const Encounter* encounter,
                                            const AnyResource* encounterResource,
                                            std::optional<ClaimForm> formOverride);

}  // namespace fhir837
