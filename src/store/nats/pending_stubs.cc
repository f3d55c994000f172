// Placeholders until the implementations land (branch nats-ledger); removed at that merge.
#include "store/nats/nats_billing_ledger.h"
#include "store/nats/nats_cluster_client.h"

namespace fhir837 {

Result<std::unique_ptr<NatsBillingLedger>> NatsBillingLedger::open(CreateOnlyBucket&, StateStore&,
                                                                   const NatsLedgerSettings&) {
  return makeError(ErrorCode::kUnsupported, "not built yet", "cluster");
}

}  // namespace fhir837
namespace fhir837 {
struct NatsBillingLedger::State {};
NatsBillingLedger::~NatsBillingLedger() = default;
Result<std::optional<LedgerEntry>> NatsBillingLedger::findBilled(const std::string&) {
  return std::optional<LedgerEntry>();
}
Result<BillingLedger::Reservation> NatsBillingLedger::reserveInterchange(
    const std::string&, const std::function<std::string(std::uint64_t)>&,
    const std::vector<LedgerEntry>&) {
  return makeError(ErrorCode::kUnsupported, "not built yet", "cluster");
}
Status NatsBillingLedger::confirmInterchange(const std::string&) { return Status::ok(); }
Status NatsBillingLedger::abandonInterchange(const std::string&) { return Status::ok(); }
Result<std::optional<LedgerEntry>> NatsBillingLedger::findBilledClaim(const std::string&,
                                                                      const std::string&) {
  return std::optional<LedgerEntry>();
}
Result<std::optional<LedgerEntry>> NatsBillingLedger::claimIdOfOtherEncounter(const std::string&,
                                                                              const std::string&) {
  return std::optional<LedgerEntry>();
}
Result<std::optional<std::string>> NatsBillingLedger::payerClaimNumber(const std::string&) {
  return std::optional<std::string>();
}
Result<std::size_t> NatsBillingLedger::eventsOnClaim(const std::string&) { return 0; }
}  // namespace fhir837
