#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/config/app_config.h"
#include "engine/report/convert_report.h"
#include "engine/serve/billing_store.h"
#include "store/billing_ledger.h"

namespace fhir837::serve {

// A group a billing round coded, with its state before the round.
struct RoundGroup {
  std::string groupKey;
  std::int64_t lastChangeSeq = 0;
  std::vector<std::string> eventKeys;
  BillingStore::GroupState state;
};

// What the round decided for a group, beyond its events' statuses.
struct GroupDecision {
  BillingStore::GroupState state;    // after the round
  bool expired = false;              // waited past pending_timeout: shown as needs-review
  bool awaitingPayerNumber = false;  // a void waits for record-icn
  bool sentEarlier = false;          // some event is on a claim an earlier round sent
};

// Where each event of a round's groups stands, from the ledger (billed, voided) and the round's
// report (every other outcome), into `update`: statuses, group states, the report lines of the
// claims written (and, for claims a crashed round wrote, a line from the ledger), and the
// fingerprints of the originals sent. One decision per group, in order.
Result<std::vector<GroupDecision>> decideRound(const AppConfig& config, BillingLedger& ledger,
                                               const ConvertReport& report,
                                               const std::vector<RoundGroup>& groups,
                                               std::int64_t now,
                                               std::chrono::seconds pendingTimeout,
                                               BillingStore::Update& update);

}  // namespace fhir837::serve
