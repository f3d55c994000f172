#include "store/nats/control_number_leases.h"

#include <algorithm>

#include "store/nats/ledger_records.h"

namespace fhir837 {

Result<std::uint64_t> ControlNumberLeases::next(const std::string& partnerKey) {
  std::lock_guard<std::mutex> lock(mutex_);
  Range& range = ranges_[partnerKey];
  if (range.next > range.last) {
    if (Status leased = lease(partnerKey, range); !leased) return leased.error();
  }
  return range.next++;
}

Status ControlNumberLeases::lease(const std::string& partnerKey, Range& range) {
  auto floor = local_.lastControlNumber(partnerKey);
  if (!floor) return floor.error();
  const std::uint64_t maxLease = (kMaxControlNumber - 1) / leaseSize_;
  // Lease k starts at k*size+1: the first lease above the local floor.
  std::uint64_t from = (*floor + leaseSize_ - 1) / leaseSize_;
  if (range.leased) from = std::max(from, range.lease + 1);
  // Creates race with other instances: a lost one moves on to the next index.
  for (;;) {
    auto free = firstFree(partnerKey, from, maxLease);
    if (!free) return free.error();
    if (*free > maxLease) {
      return makeError(ErrorCode::kConfig,
                       "interchange control numbers exhausted for partner " + partnerKey,
                       "cluster ledger");
    }
    auto created = bucket_.create(ledger_keys::lease(partnerKey, *free), instance_);
    if (!created) return created.error();
    if (created->created) {
      range.lease = *free;
      range.leased = true;
      range.next = *free * leaseSize_ + 1;
      range.last = std::min((*free + 1) * leaseSize_, kMaxControlNumber);
      return Status::ok();
    }
    from = *free + 1;
  }
}

// Leases are mostly taken in order, so the owned ones form a prefix: gallop past it from the
// hint, then halve back to its end. Reads only; a hole found early is as good (gaps are fine).
Result<std::uint64_t> ControlNumberLeases::firstFree(const std::string& partnerKey,
                                                     std::uint64_t from, std::uint64_t maxLease) {
  auto taken = [&](std::uint64_t k) -> Result<bool> {
    auto value = bucket_.get(ledger_keys::lease(partnerKey, k));
    if (!value) return value.error();
    return value->has_value();
  };
  if (from > maxLease) return from;
  auto first = taken(from);
  if (!first) return first.error();
  if (!*first) return from;
  std::uint64_t owned = from, step = 1;
  std::uint64_t free = maxLease + 1;
  for (;;) {
    const std::uint64_t probe = std::min(from + step, maxLease + 1);
    if (probe > maxLease) break;
    auto isTaken = taken(probe);
    if (!isTaken) return isTaken.error();
    if (!*isTaken) {
      free = probe;
      break;
    }
    owned = probe;
    step *= 2;
  }
  while (free - owned > 1) {
    const std::uint64_t middle = owned + (free - owned) / 2;
    auto isTaken = taken(middle);
    if (!isTaken) return isTaken.error();
    (*isTaken ? owned : free) = middle;
  }
  return free;
}

}  // namespace fhir837
