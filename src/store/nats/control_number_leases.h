#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/result.h"
#include "store/nats/cluster_client.h"
#include "store/state_store.h"

namespace fhir837 {

// Interchange control numbers for a cluster: each instance claims ranges of `leaseSize` numbers
// per trading partner with a create-only key (`lease.<h(partner)>.<k>` owns [k*size+1,
// (k+1)*size]), so two instances never hand out the same number, and no counter is ever
// compare-and-set. A new object takes a new lease on first use: numbers left in the previous
// process's lease are skipped (a gap), never repeated. Leases start above the last number the
// instance's local StateStore used for the partner. Thread-safe.
class ControlNumberLeases {
 public:
  static constexpr std::uint64_t kMaxControlNumber = 999999999;

  ControlNumberLeases(CreateOnlyBucket& bucket, StateStore& local, std::string instance,
                      std::uint64_t leaseSize)
      : bucket_(bucket), local_(local), instance_(std::move(instance)), leaseSize_(leaseSize) {}

  Result<std::uint64_t> next(const std::string& partnerKey);

 private:
  struct Range {
    std::uint64_t next = 1, last = 0;  // empty while next > last
    std::uint64_t lease = 0;           // index of the lease last taken, the next probe's hint
    bool leased = false;
  };
  Status lease(const std::string& partnerKey, Range& range);
  // The first lease index at or after `from` without an owner yet (by reads; the create decides).
  Result<std::uint64_t> firstFree(const std::string& partnerKey, std::uint64_t from,
                                  std::uint64_t maxLease);

  CreateOnlyBucket& bucket_;
  StateStore& local_;
  std::string instance_;
  std::uint64_t leaseSize_;
  std::mutex mutex_;
  std::map<std::string, Range> ranges_;
};

}  // namespace fhir837
