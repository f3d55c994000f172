#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/clock.h"
#include "engine/serve/billing_rules.h"
#include "engine/serve/journal.h"
#include "engine/serve/telemetry.h"
#include "store/billing_ledger.h"
#include "store/state_store.h"

namespace fhir837::serve {

// The billing policies of `[serve]`.
struct BillingPolicy {
  std::chrono::seconds billAfter{3600};        // quiet time after which an open encounter bills
  std::chrono::seconds pendingTimeout{86400};  // waiting on missing data -> needs review
  std::chrono::seconds interchangeEvery{0};    // how long ready claims may wait for company
  std::filesystem::path outbox;                // interchanges + report.ndjson
  std::filesystem::path stateDir;              // fhir837.sqlite (ledger, control numbers)
  // Operator queue and retention (issue 11).
  std::size_t maxBodyBytes = 16u << 20;  // [serve] max_body: a retried dead letter's limit
  std::optional<std::chrono::seconds> keepJournalFor;  // unset: journal bodies kept forever
  std::chrono::seconds pruneEvery{3600};               // how often bodies are pruned
  // Scale-out (issue 12). Which patients' encounters this instance bills now (the partitions it
  // owns and has caught up with); unset: all of them. Thread-safe: asked on the billing thread.
  std::function<bool(const std::string& patientKey)> billsPatient;
  // The ledger shared by the cluster; unset: the state dir's own (StateStore). Given the local
  // store, which keeps what the cluster does not share (the payers' claim numbers).
  std::function<Result<std::unique_ptr<BillingLedger>>(StateStore& local)> sharedLedger;
};

// Where one event stands, for GET .../{id}/$billing.
struct EventBillingStatus {
  std::string eventKey;  // "MedicationAdministration/ma1"
  // pending | held | billed | needs-review | rejected | not-billable
  std::string state;
  std::string rule, reason, path;
  std::vector<std::string> waitingFor;  // pending: what is missing
  std::string claimId, interchangeFile;
  std::uint64_t interchangeControlNumber = 0;  // ISA13
  std::string transactionSetControlNumber;     // ST02
  std::string trailJson;  // the same JSON line as `explain --json` for this event's claim/outcome
};

// The daemon's billing side: watches the journal, decides when an encounter is complete, codes it
// with the batch pipeline (same parsers, assembler, group coder, emitters, state store) and writes
// interchanges and report lines to the outbox, each claim exactly once across crashes.
// start() runs it on its own thread (the one that owns the StateStore); notify() is called after
// each journal commit; stop() bills what is due, writes the outbox and joins.
class BillingService {
 public:
  virtual ~BillingService() = default;
  virtual Status start() = 0;
  virtual void notify() = 0;
  virtual void stop() = 0;
  // Thread-safe (SIGHUP). Rounds that start after this code with `rules`; a round in progress
  // finishes with the rules it started with.
  virtual void replaceRules(SharedBillingRules rules) = 0;
  // Thread-safe. Absent: the journal has no such event.
  virtual Result<std::optional<EventBillingStatus>> statusOf(const std::string& eventKey) = 0;
};

Result<std::unique_ptr<BillingService>> makeBillingService(SharedBillingRules rules,
                                                           const BillingPolicy& policy,
                                                           Journal& journal, const Clock& clock,
                                                           Telemetry& telemetry = noTelemetry());

}  // namespace fhir837::serve
