#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "coding_types.h"
#include "core/result.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/serve/billing_store.h"
#include "store/billing_ledger.h"

namespace fhir837::serve {

// An encounter billed in an earlier round whose events changed or grew since: coded again as if
// nothing had been billed, and compared (claimFingerprint) with what was sent. The same claim
// changes nothing. A different one is sent as a replacement (frequency 7, CLM01 of the original,
// REF*F8 the payer's claim control number from `record-icn`) — exactly once, its ledger key
// carrying the new fingerprint — or, without that number, needs review saying so.
struct ReplacementInputs {
  const AppConfig& config;
  const CodingTables& tables;
  const Clock& clock;
  BillingLedger& ledger;
  BillingStore& store;
  std::filesystem::path inputDir;  // the round's closure files
  std::filesystem::path workDir;   // scratch for the dry run
  std::filesystem::path outbox;
};

struct ReplacementGroup {
  std::string groupKey;
  std::vector<std::string> eventKeys;
};

struct ReplacementOutcome {
  std::map<std::string, EventBillingStatus> statuses;  // event key -> where it stands now
  std::vector<std::pair<std::string, std::string>> reportLines;
  std::vector<std::pair<std::string, std::string>> fingerprints;
  std::set<std::string> awaitingPayerNumber;  // group keys: retried until record-icn
};

Result<ReplacementOutcome> replaceChangedClaims(const ReplacementInputs& inputs,
                                                const std::vector<ReplacementGroup>& groups);

// "CLM01|837P": the key of what was sent for a claim (an encounter can have an 837P and an 837I).
std::string sentClaimKey(const Claim& claim);

}  // namespace fhir837::serve
