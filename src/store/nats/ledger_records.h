#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/billing_ledger.h"

namespace fhir837 {

// The keys and values of the cluster ledger's KV bucket (NatsBillingLedger). Keys allow only
// [-/_=.a-zA-Z0-9], so names (event keys, files, claim keys) enter them as hex SHA-256.
namespace ledger_keys {
std::string hashed(std::string_view name);
// The n-th reservation attempt (1, 2, ...) of an event.
std::string event(const std::string& eventKey, std::uint64_t n);
// The n-th reservation indexed under a claim grouping key / a CLM01 (claim id).
std::string claim(const std::string& claimKey, std::uint64_t n);
std::string claimId(const std::string& claimId, std::uint64_t n);
// Rows without a claim key are indexed by their claim id instead (StateStore matches them so).
std::string keylessClaim(const std::string& claimId, std::uint64_t n);
// "written" or "abandoned": what became of the file a reservation named.
std::string fate(const std::string& file);
// The k-th control-number lease of a trading partner.
std::string lease(const std::string& partnerKey, std::uint64_t k);
}  // namespace ledger_keys

// The value of an attempt key: the ledger row plus who reserved it and, for the claim-id index,
// how many events of that claim id the reservation carries.
struct AttemptRecord {
  LedgerEntry entry;
  std::string owner;
  std::size_t events = 1;
  // When it was reserved (the reserver's clock, epoch seconds; 0 in rows written before it was
  // recorded): an undecided reservation much older than any write takes is given up by a peer.
  std::int64_t reservedAt = 0;
};
std::string encodeAttempt(const AttemptRecord& record);
std::optional<AttemptRecord> decodeAttempt(std::string_view json);

}  // namespace fhir837
