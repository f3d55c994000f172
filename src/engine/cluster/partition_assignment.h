#pragma once

#include <set>
#include <string>
#include <vector>

namespace fhir837::cluster {

// Which partitions `self` owns among the live `members` (rendezvous hashing): each partition goes
// to the member with the highest hash of (member, partition), so every instance that sees the
// same members computes the same owners without talking, a member leaving moves only its own
// partitions, and a member joining takes about 1/N of them. Two instances that briefly disagree
// (one saw a heartbeat expire before the other) both code a partition for a moment: the
// create-only ledger bills its encounters once anyway.
std::set<int> ownedPartitions(const std::vector<std::string>& members, const std::string& self,
                              int partitions);

}  // namespace fhir837::cluster
