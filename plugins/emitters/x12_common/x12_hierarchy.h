#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "model/claim.h"

namespace fhir837::x12 {

// The HL tree of one 837 transaction set, as claim indices. Groups appear in first-appearance
// order and claims keep their input order inside a group, so the output is deterministic.
struct PatientGroup {
  const PatientParty* patient = nullptr;  // 2000C / 2010CA
  std::vector<std::size_t> claims;
};

struct SubscriberGroup {
  const Subscriber* subscriber = nullptr;  // 2000B / 2010BA
  const Payer* payer = nullptr;            // 2010BB
  std::vector<std::size_t> ownClaims;      // patient is the subscriber: 2300 under 2000B
  std::vector<PatientGroup> patients;      // dependants: one 2000C each
  // A subscriber's own claims (SBR02 = 18) and the claims of dependants (2000C) go in separate
  // 2000B loops: SBR02 = 18 says the subscriber is the patient, which a 2000C contradicts.
  bool forDependents = false;
};

struct BillingGroup {
  const Provider* provider = nullptr;  // 2000A / 2010AA
  std::vector<SubscriberGroup> subscribers;
  std::size_t firstClaim = 0;  // names the group in error messages
};

// One BillingGroup per distinct billing provider, inside it one SubscriberGroup per distinct
// (subscriber, payer) pair, inside that one PatientGroup per distinct patient. Pointers refer
// into `claims`, which must outlive the result.
std::vector<BillingGroup> groupClaims(std::span<const Claim> claims);

}  // namespace fhir837::x12
