#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/billing_ledger.h"
#include "store/nats/cluster_client.h"
#include "store/state_store.h"

namespace fhir837 {

struct NatsLedgerSettings {
  std::string instance;            // this daemon's name in the cluster (unique, stable)
  std::uint64_t leaseSize = 1000;  // control numbers claimed per lease
  std::filesystem::path stateDir;  // this instance's own reservations in flight (crash recovery)
  // An undecided reservation older than this is given up (fate abandoned) by whoever meets it:
  // its writer died or stalled, and a writer commits its file only while the fate is undecided.
  std::chrono::seconds staleAfter{60};
};

// The billed-event ledger shared by every instance of a cluster (issue 12), over a KV bucket
// written only with create-only puts, so the server decides which of two instances that coded
// the same encounter bills it. Control numbers come from disjoint ranges each claimed with a
// create-only lease key: never a compare-and-set counter (nats-server 2.9.10 checks an expected
// revision before replication, so two concurrent updates can both succeed).
//
// `local` answers what the cluster does not share: the payer's claim numbers `record-icn` wrote
// (payerClaimNumber) and the numbers the single-node daemon used before the cluster was turned on
// (leases start above them).
class NatsBillingLedger final : public BillingLedger {
 public:
  // Recovers this instance's own reservations left by a crash (file written: confirmed; missing:
  // abandoned) before it returns.
  static Result<std::unique_ptr<NatsBillingLedger>> open(CreateOnlyBucket& bucket,
                                                         StateStore& local,
                                                         const NatsLedgerSettings& settings);
  ~NatsBillingLedger() override;

  Result<std::optional<LedgerEntry>> findBilled(const std::string& eventKey) override;
  Result<Reservation> reserveInterchange(const std::string& partnerKey,
                                         const std::function<std::string(std::uint64_t)>& fileFor,
                                         const std::vector<LedgerEntry>& entries) override;
  // Decides the fate "written" before the rename; an error when a peer gave the reservation up.
  Status commitInterchange(const std::string& file) override;
  Status confirmInterchange(const std::string& file) override;
  Result<bool> inFlightElsewhere(const std::string& eventKey) override;
  Status abandonInterchange(const std::string& file) override;
  Result<std::optional<LedgerEntry>> findBilledClaim(const std::string& claimKey,
                                                     const std::string& claimId) override;
  Result<std::optional<LedgerEntry>> claimIdOfOtherEncounter(const std::string& claimId,
                                                             const std::string& encounter) override;
  Result<std::optional<std::string>> payerClaimNumber(const std::string& claimId) override;
  Result<std::size_t> eventsOnClaim(const std::string& claimId) override;

  struct State;

 private:
  explicit NatsBillingLedger(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace fhir837
