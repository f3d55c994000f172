#include "engine/assembly/payer_matcher.h"

#include <algorithm>
#include <cctype>
#include "rule_ids.h"

namespace fhir837 {

namespace {
constexpr const char* kCarinIdentifierType =
    "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType";

std::string lower(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// The payer id carried by the Organization, and where it came from.
std::pair<std::string, std::string> payerIdOf(const Organization& org, const AppConfig& config) {
  for (const auto& id : org.identifier) {
    const Coding* type = id.type.findSystem(kCarinIdentifierType);
    if (type && type->code == "payerid" && !id.value.empty()) {
      return {id.value, "CARIN payerid identifier"};
    }
  }
  for (const auto& system : config.payerIdSystems) {
    for (const auto& id : org.identifier) {
      if (id.system == system && !id.value.empty()) return {id.value, "identifier " + system};
    }
  }
  return {};
}
}  // namespace

Result<MatchedPayer> matchPayer(const Organization& payor, const std::string& path,
                                const AppConfig& config) {
  auto [payerId, idSource] = payerIdOf(payor, config);
  MatchedPayer match;
  if (!payerId.empty()) {
    for (const auto& profile : config.payers) {
      if (std::find(profile.payerIds.begin(), profile.payerIds.end(), payerId) !=
          profile.payerIds.end()) {
        match.profile = &profile;
        match.how = "payer id " + payerId + " (" + idSource + ") in profile " + profile.key;
        break;
      }
    }
  }
  if (!match.profile) {
    const std::string name = lower(payor.name);
    for (const auto& profile : config.payers) {
      for (const auto& pattern : profile.namePatterns) {
        if (!name.empty() && name.find(pattern) != std::string::npos) {
          match.profile = &profile;
          match.how = "name pattern '" + pattern + "' of profile " + profile.key;
          break;
        }
      }
      if (match.profile) break;
    }
  }
  const std::string label =
      payor.id.empty() ? "display-only payor" : "payor Organization/" + payor.id;
  if (!match.profile) {
    return makeError(
        ErrorCode::kRejected,
        label + " matches no payer profile (payer id '" + payerId + "', name '" + payor.name + "')",
        path, rule_id::kPayD12);
  }
  // Matched by name: the profile decides NM109. A payer id on the payor that is none of the
  // profile's (a typo, another plan) leaves the payer in doubt: a person decides (PAY-ID).
  const std::vector<std::string>& profileIds = match.profile->payerIds;
  if (!payerId.empty() && !profileIds.empty() &&
      std::find(profileIds.begin(), profileIds.end(), payerId) == profileIds.end()) {
    return makeError(ErrorCode::kNeedsReview,
                     label + " matched profile " + match.profile->key + " by name, but carries " +
                         "payer id '" + payerId + "' (" + idSource +
                         "), which is not one of the profile's payer ids",
                     path, rule_id::kPayId);
  }
  if (payerId.empty() && !profileIds.empty()) payerId = profileIds[0];
  if (payerId.empty()) {
    return makeError(ErrorCode::kRejected,
                     label + " matched profile " + match.profile->key +
                         " which has no default payer id, and the Organization carries none",
                     path, rule_id::kPayD12);
  }
  match.payer.payerId = payerId;
  match.payer.name = payor.name.empty() ? match.profile->name : payor.name;
  return match;
}

}  // namespace fhir837
