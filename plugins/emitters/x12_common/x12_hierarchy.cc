#include "emitters/x12_common/x12_hierarchy.h"

#include <algorithm>

namespace fhir837::x12 {

namespace {

template <class Groups, class Matches>
auto& findOrAppend(Groups& groups, Matches matches) {
  auto it = std::find_if(groups.begin(), groups.end(), matches);
  if (it != groups.end()) return *it;
  return groups.emplace_back();
}

}  // namespace

std::vector<BillingGroup> groupClaims(std::span<const Claim> claims) {
  std::vector<BillingGroup> billing;
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const Claim& claim = claims[i];
    BillingGroup& provider = findOrAppend(
        billing, [&](const BillingGroup& g) { return *g.provider == claim.billingProvider; });
    if (provider.provider == nullptr) {
      provider.provider = &claim.billingProvider;
      provider.firstClaim = i;
    }
    SubscriberGroup& subscriber = findOrAppend(provider.subscribers, [&](const SubscriberGroup& g) {
      // A 2000B (or 2000C) loop holds at most 100 claims (TR3): the 101st opens another loop.
      std::size_t claimsInGroup = g.ownClaims.size();
      for (const auto& p : g.patients) claimsInGroup += p.claims.size();
      return *g.subscriber == claim.subscriber && *g.payer == claim.payer &&
             g.forDependents == claim.patient.has_value() && claimsInGroup < 100;
    });
    if (subscriber.subscriber == nullptr) {
      subscriber.subscriber = &claim.subscriber;
      subscriber.payer = &claim.payer;
      subscriber.forDependents = claim.patient.has_value();
    }
    if (!claim.patient) {
      subscriber.ownClaims.push_back(i);
      continue;
    }
    PatientGroup& patient = findOrAppend(
        subscriber.patients, [&](const PatientGroup& g) { return *g.patient == *claim.patient; });
    if (patient.patient == nullptr) patient.patient = &*claim.patient;
    patient.claims.push_back(i);
  }
  return billing;
}

}  // namespace fhir837::x12
