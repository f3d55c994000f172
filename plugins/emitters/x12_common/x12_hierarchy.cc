#include "emitters/x12_common/x12_hierarchy.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace fhir837::x12 {

namespace {

// A 2000B (or 2000C) loop holds at most 100 claims (TR3): the 101st opens another loop.
constexpr std::size_t kMostClaimsPerSubscriberLoop = 100;

template <class Groups, class Matches>
auto& findOrAppend(Groups& groups, Matches matches) {
  auto it = std::find_if(groups.begin(), groups.end(), matches);
  if (it != groups.end()) return *it;
  return groups.emplace_back();
}

std::size_t mix(std::size_t seed, std::string_view text) {
  return seed ^
         (std::hash<std::string_view>{}(text) + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2));
}

// These hash a few fields of what operator== compares, so equal parties always hash equal;
// parties that differ only elsewhere share a bucket and are told apart by operator==.
std::size_t hashOf(const Provider& provider) {
  return mix(mix(0, provider.npi), provider.name.lastOrOrganization);
}

std::size_t hashOf(const Subscriber& subscriber, const Payer& payer, bool forDependents) {
  std::size_t h = mix(forDependents ? 1 : 0, subscriber.memberId);
  h = mix(h, subscriber.name.lastOrOrganization);
  h = mix(h, subscriber.name.first);
  h = mix(h, subscriber.birthDate);
  return mix(h, payer.payerId);
}

// Key hash -> index of the latest group of that key. A transaction set holds up to 5,000 claims,
// mostly of distinct subscribers: finding a claim's group by scanning made emission quadratic.
using LatestGroups = std::unordered_multimap<std::size_t, std::size_t>;

template <class Same>
LatestGroups::iterator findLatest(LatestGroups& latest, std::size_t hash, Same same) {
  auto [it, end] = latest.equal_range(hash);
  for (; it != end; ++it) {
    if (same(it->second)) return it;
  }
  return latest.end();
}

// What groupClaims needs to place claims in one BillingGroup.
struct BillingLookup {
  LatestGroups subscribers;
  std::vector<std::size_t> claimsPerSubscriber;  // parallel to BillingGroup::subscribers
};

}  // namespace

std::vector<BillingGroup> groupClaims(std::span<const Claim> claims) {
  std::vector<BillingGroup> billing;
  std::vector<BillingLookup> lookups;  // parallel to `billing`
  LatestGroups providers;
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const Claim& claim = claims[i];
    const std::size_t providerHash = hashOf(claim.billingProvider);
    auto provider = findLatest(providers, providerHash, [&](std::size_t g) {
      return *billing[g].provider == claim.billingProvider;
    });
    if (provider == providers.end()) {
      billing.push_back({&claim.billingProvider, {}, i});
      lookups.emplace_back();
      provider = providers.emplace(providerHash, billing.size() - 1);
    }
    BillingGroup& group = billing[provider->second];
    BillingLookup& lookup = lookups[provider->second];

    // Only the latest group of a key can have room: a new one is opened when it is full.
    const bool forDependents = claim.patient.has_value();
    const std::size_t subscriberHash = hashOf(claim.subscriber, claim.payer, forDependents);
    auto latest = findLatest(lookup.subscribers, subscriberHash, [&](std::size_t s) {
      const SubscriberGroup& g = group.subscribers[s];
      return *g.subscriber == claim.subscriber && *g.payer == claim.payer &&
             g.forDependents == forDependents;
    });
    if (latest == lookup.subscribers.end() ||
        lookup.claimsPerSubscriber[latest->second] == kMostClaimsPerSubscriberLoop) {
      group.subscribers.push_back({&claim.subscriber, &claim.payer, {}, {}, forDependents});
      lookup.claimsPerSubscriber.push_back(0);
      const std::size_t opened = group.subscribers.size() - 1;
      if (latest == lookup.subscribers.end()) {
        latest = lookup.subscribers.emplace(subscriberHash, opened);
      } else {
        latest->second = opened;
      }
    }
    SubscriberGroup& subscriber = group.subscribers[latest->second];
    ++lookup.claimsPerSubscriber[latest->second];
    if (!claim.patient) {
      subscriber.ownClaims.push_back(i);
      continue;
    }
    // At most 100 claims, so at most 100 patients: a scan stays cheap.
    PatientGroup& patient = findOrAppend(
        subscriber.patients, [&](const PatientGroup& g) { return *g.patient == *claim.patient; });
    if (patient.patient == nullptr) patient.patient = &*claim.patient;
    patient.claims.push_back(i);
  }
  return billing;
}

}  // namespace fhir837::x12
