#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/serve/billing_service.h"

namespace fhir837::serve {

// event_status.waiting_for as stored (one item a line) back into its items.
std::vector<std::string> splitStoredLines(const std::string& text);

// The daemon's billing state beside the journal: <state-dir>/billing.sqlite (WAL,
// synchronous=FULL). Where each event stands (for $billing), how far each group was coded, and
// the report lines of billed claims on their way into outbox/report.ndjson. The ledger and the
// control numbers stay in the StateStore: this file only remembers what was decided.
// Written by the billing thread alone; status() may be called from any thread.
class BillingStore {
 public:
  struct GroupState {
    std::int64_t processedSeq = 0;  // the group's journal sequence when it was last coded
    std::int64_t pendingSince = 0;  // epoch seconds it started waiting for data; 0: not waiting
  };
  // One coding round's decisions, committed together.
  struct Update {
    std::vector<EventBillingStatus> statuses;
    std::vector<std::pair<std::string, std::string>> statusGroups;  // event key -> group key
    std::vector<std::pair<std::string, GroupState>> groups;
    // (claim key "CLM01|ISA13", report line): queued once per claim key, ever.
    std::vector<std::pair<std::string, std::string>> reportLines;
    // ("CLM01|form", claimFingerprint): what was last sent for the claim.
    std::vector<std::pair<std::string, std::string>> fingerprints;
  };

  static Result<std::unique_ptr<BillingStore>> open(const std::filesystem::path& stateDir);
  ~BillingStore();
  BillingStore(const BillingStore&) = delete;
  BillingStore& operator=(const BillingStore&) = delete;

  Result<std::optional<GroupState>> groupState(const std::string& groupKey);
  Status apply(const Update& update);
  // Appends the queued report lines to `reportFile` exactly once: the file is cut back to the
  // length recorded with the last flush (dropping what a crash left half-appended), the lines are
  // appended and fsynced, then the queue and the new length are committed together.
  Status flushReport(const std::filesystem::path& reportFile);
  // The fingerprint of what was last sent for "CLM01|form", if it was recorded.
  Result<std::optional<std::string>> fingerprint(const std::string& claimKey);
  // Thread-safe (own connection).
  Result<std::optional<EventBillingStatus>> status(const std::string& eventKey);
  // Events whose decision is in `state` ("needs-review": the review queue), for the metrics.
  Result<std::int64_t> countInState(const std::string& state);

 private:
  BillingStore(sqlite3* writer, sqlite3* reader) : writer_(writer), reader_(reader) {}
  sqlite3* writer_;
  sqlite3* reader_;
  std::mutex readerMutex_;
};

}  // namespace fhir837::serve
