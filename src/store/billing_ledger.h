#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace fhir837 {

// A billed event as the ledger remembers it.
struct LedgerEntry {
  std::string eventKey;  // e.g. "MedicationAdministration/ma1"
  std::string claimId;   // CLM01
  std::string file;      // absolute path of the interchange that carries it
  std::uint64_t interchangeControlNumber = 0;
  // The claim grouping key (form|encounter|payer|member) of the claim that carries the event;
  // empty for rows written before schema 4.
  std::string claimKey;
  bool operator==(const LedgerEntry&) const = default;
};

// What billing needs to bill each event once: the billed-event ledger and the interchange control
// numbers, reserved together before a file is written. The pipeline (convert, the daemon's
// rounds, replacements) sees only this; `StateStore` is the SQLite implementation, and a
// distributed one (NATS KV, create-only keys and leased number ranges) can stand behind it.
class BillingLedger {
 public:
  virtual ~BillingLedger() = default;

  // The ledger entry of an event already billed (or reserved), if any.
  virtual Result<std::optional<LedgerEntry>> findBilled(const std::string& eventKey) = 0;

  // Atomically: takes the next interchange control number for `partnerKey` (never one used
  // before) and reserves the ledger rows of `entries` for the file `fileFor(number)` names. Fails
  // with kRejected, naming the event, if one of them was billed meanwhile.
  struct Reservation {
    std::uint64_t controlNumber = 0;
    std::string file;
  };
  virtual Result<Reservation> reserveInterchange(
      const std::string& partnerKey, const std::function<std::string(std::uint64_t)>& fileFor,
      const std::vector<LedgerEntry>& entries) = 0;
  // The point of no return, after the file's bytes are durable under a temporary name and before
  // the rename makes them visible. A ledger shared by several instances decides the
  // reservation's fate here, so that one a peer gave up on (its writer looked dead) is never
  // renamed into place: an error means the file must not appear. The single-node store decides
  // at confirmInterchange, after the rename, and needs nothing here.
  virtual Status commitInterchange(const std::string& file) {
    (void)file;
    return Status::ok();
  }
  // Whether `eventKey` is held by a reservation whose file is being written right now (by another
  // instance sharing the ledger): billing waits for its fate rather than calling it billed.
  virtual Result<bool> inFlightElsewhere(const std::string& eventKey) {
    (void)eventKey;
    return false;
  }
  // Marks the reservation of `file` as written (after the atomic rename).
  virtual Status confirmInterchange(const std::string& file) = 0;
  // Drops the reservation of `file` (the write failed): its events may be billed again; its
  // control number stays used.
  virtual Status abandonInterchange(const std::string& file) = 0;

  // A billed (or reserved) original event of the claim `claimKey`, if any (LEDGER-2).
  virtual Result<std::optional<LedgerEntry>> findBilledClaim(const std::string& claimKey,
                                                             const std::string& claimId) = 0;
  // A billed original whose CLM01 is `claimId` for another encounter than `encounter` (CLM-ID).
  virtual Result<std::optional<LedgerEntry>> claimIdOfOtherEncounter(
      const std::string& claimId, const std::string& encounter) = 0;
  // The payer's claim control number (REF*F8 of a void or replacement), from `record-icn`.
  virtual Result<std::optional<std::string>> payerClaimNumber(const std::string& claimId) = 0;
  // How many billed events the ledger holds for a claim id.
  virtual Result<std::size_t> eventsOnClaim(const std::string& claimId) = 0;

  // Lookups between these two may share one read transaction: one lock and one snapshot for
  // many queries instead of one each. They see the ledger as of the first of them, so nothing may
  // be written in between (reserve, commit, confirm, abandon). Nested batches join the outer one.
  // Open one through LedgerReadBatch. A ledger without transactions needs nothing here.
  virtual Status beginReadBatch() { return Status::ok(); }
  virtual Status endReadBatch() { return Status::ok(); }
};

// A read batch on `ledger` for the lifetime of this object, or until end().
class LedgerReadBatch {
 public:
  explicit LedgerReadBatch(BillingLedger& ledger)
      : ledger_(ledger), begun_(ledger.beginReadBatch()) {}
  ~LedgerReadBatch() { (void)end(); }
  LedgerReadBatch(const LedgerReadBatch&) = delete;
  LedgerReadBatch& operator=(const LedgerReadBatch&) = delete;

  // Why the batch could not begin (lookups must not run as if it had).
  const Status& begun() const { return begun_; }
  // Ends the batch before anything is written; later calls do nothing.
  Status end() {
    if (!begun_ || ended_) return Status::ok();
    ended_ = true;
    return ledger_.endReadBatch();
  }

 private:
  BillingLedger& ledger_;
  Status begun_;
  bool ended_ = false;
};

}  // namespace fhir837
