#include "engine/cluster/partition_assignment.h"

#include <cstdint>
#include <string_view>

#include "core/stable_hash.h"

namespace fhir837::cluster {

namespace {

// splitmix64's finaliser over FNV-1a (stableHash): FNV alone leaves nearby inputs (a0, a1) with
// nearby hashes, which skews rendezvous winners.
std::uint64_t score(std::string_view member, int partition) {
  std::uint64_t hash = stableHash(member);
  hash ^= static_cast<std::uint64_t>(partition) + 0x9e3779b97f4a7c15ull;
  hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ull;
  hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebull;
  return hash ^ (hash >> 31);
}

}  // namespace

std::set<int> ownedPartitions(const std::vector<std::string>& members, const std::string& self,
                              int partitions) {
  std::set<int> owned;
  for (int partition = 0; partition < partitions; ++partition) {
    const std::string* best = nullptr;
    std::uint64_t bestScore = 0;
    for (const std::string& member : members) {
      const std::uint64_t s = score(member, partition);
      if (best == nullptr || s > bestScore || (s == bestScore && member < *best)) {
        best = &member;
        bestScore = s;
      }
    }
    if (best == nullptr || *best == self) owned.insert(partition);
  }
  return owned;
}

}  // namespace fhir837::cluster
