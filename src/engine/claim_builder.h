#pragma once

#include <map>
#include <string>
#include <vector>

#include "coding_types.h"
#include "core/result.h"
#include "engine/assembly/claim_assembler.h"
#include "engine/config/app_config.h"

namespace fhir837 {

// A billed event: its assembled context and the coder's lines.
struct BilledEvent {
  AssembledEvent assembled;
  EventCoding coding;
};

// Merges billed events that share a claim key into claims: lines in event order, charges from
// the fee schedule (FEE-1), diagnosis pointers from each event. A claim that would exceed the
// 837P line limit, or a code without a fee, is an error naming the claim.
// On 837I each line also gets its revenue code (REV-R19): the per-code chargemaster entry, else
// the administration or drug default.
Result<Claim> buildClaim(const std::vector<const BilledEvent*>& events,
                         const std::map<std::string, std::int64_t>& feeCentsPerUnit,
                         const InstitutionalSettings& institutional);

}  // namespace fhir837
