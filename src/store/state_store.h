#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/billing_ledger.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fhir837 {

// The durable state under --state-dir: control-number counters per trading partner and the
// billed-event ledger, in one SQLite database (WAL, synchronous=FULL). Numbers and ledger rows are
// committed *before* the file that uses them is written, so a crash can waste a number but never
// reuse one, and an event is never billed twice.
class StateStore final : public BillingLedger {
 public:
  static constexpr int kSchemaVersion = 4;

  // Opens or creates <dir>/fhir837.sqlite. Migrates older schemas step by step, refuses a database
  // written by a newer schema; recovers reservations left by processes that died (never a live
  // one's).
  static Result<std::unique_ptr<StateStore>> open(const std::filesystem::path& dir);
  // A private, empty store that lives in memory (for `explain`, which must not touch state).
  static Result<std::unique_ptr<StateStore>> openInMemory();
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // The ledger entry of an event already billed (or reserved), if any.
  Result<std::optional<LedgerEntry>> findBilled(const std::string& eventKey) override;

  // In one IMMEDIATE transaction: takes the next interchange control number for `partnerKey`
  // (1..999999999, wrapping is an error) and reserves the ledger rows of `entries` for the file
  // `fileFor(number)` names. Fails with kRejected, naming the event, if another process billed
  // one of them meanwhile.
  Result<Reservation> reserveInterchange(const std::string& partnerKey,
                                         const std::function<std::string(std::uint64_t)>& fileFor,
                                         const std::vector<LedgerEntry>& entries) override;
  // A billed (or reserved) original event of the claim `claimKey`, if any: a later event of that
  // claim cannot go out as a second original (LEDGER-2). Rows from before schema 4 carry no
  // claim key and are matched by their CLM01 `claimId`. Void rows do not count.
  Result<std::optional<LedgerEntry>> findBilledClaim(const std::string& claimKey,
                                                     const std::string& claimId) override;

  // A billed original whose CLM01 is `claimId` but whose claim key names another encounter than
  // `encounter` ("Encounter/e1", the key's second field): CLM01 must stay unique (CLM-ID).
  // Rows from before schema 4 (no claim key) are not compared.
  Result<std::optional<LedgerEntry>> claimIdOfOtherEncounter(const std::string& claimId,
                                                             const std::string& encounter) override;

  // The payer's claim control number (ICN) for a claim we sent, from its 277CA/835: a void or
  // replacement must quote it in REF*F8. Recorded by `fhir837 record-icn`.
  Status recordPayerClaimNumber(const std::string& claimId, const std::string& payerIcn);
  Result<std::optional<std::string>> payerClaimNumber(const std::string& claimId) override;
  // How many billed events the ledger holds for a claim id.
  Result<std::size_t> eventsOnClaim(const std::string& claimId) override;

  // Marks the reservation of `file` as written (after the atomic rename).
  Status confirmInterchange(const std::string& file) override;
  // Drops the reservation of `file` (the write failed): its events may be billed again; its
  // control number stays used.
  Status abandonInterchange(const std::string& file) override;

  // The last interchange control number taken for `partnerKey` (0: none yet): a cluster ledger
  // leases its numbers above it.
  Result<std::uint64_t> lastControlNumber(const std::string& partnerKey);

  // A deferred read transaction (BEGIN ... COMMIT) around a batch of lookups. Writing while one
  // is open is a programming error (std::logic_error): the write would wait for the batch's
  // COMMIT to become durable, and BEGIN IMMEDIATE cannot start inside it.
  Status beginReadBatch() override;
  Status endReadBatch() override;

 private:
  explicit StateStore(sqlite3* db) : db_(db) {}
  // Takes this process's owner lock under <dir>/owners/ (held until destruction).
  Status claimOwnership(const std::filesystem::path& dir);
  Status exec(const char* sql);
  Status migrate();
  Status recoverPending();
  void refuseInReadBatch(const char* write) const;
  // `slot`'s statement, prepared on first use; null when SQLite refuses it.
  sqlite3_stmt* persistent(sqlite3_stmt*& slot, const char* sql);

  sqlite3* db_;
  // Asked for every event or claim of a run: prepared on first use, kept for the store's life.
  sqlite3_stmt* findBilled_ = nullptr;
  sqlite3_stmt* findBilledClaim_ = nullptr;
  sqlite3_stmt* claimIdOfOtherEncounter_ = nullptr;
  sqlite3_stmt* beginRead_ = nullptr;
  sqlite3_stmt* commitRead_ = nullptr;
  int readBatchDepth_ = 0;  // > 0 while a read batch is open (nested ones count)
  // Reservations are tagged with their owner; a pending reservation is recovered only when its
  // owner's lock file can be locked, i.e. the process that made it is gone.
  std::string owner_ = "memory";
  std::filesystem::path ownersDir_;
  int ownerLockFd_ = -1;
};

}  // namespace fhir837
