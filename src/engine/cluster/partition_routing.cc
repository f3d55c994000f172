#include "engine/cluster/partition_routing.h"

#include <algorithm>
#include <cstdint>

#include "core/stable_hash.h"

namespace fhir837::cluster {

int partitionOf(std::string_view patientKey, int partitions) {
  return static_cast<int>(stableHash(patientKey) % static_cast<std::uint64_t>(partitions));
}

std::string partitionSubject(int partition) {
  return std::string(kSubjectPrefix) + std::to_string(partition);
}

std::vector<std::string> subjectsOf(const serve::ResourceWrite& write, int partitions) {
  std::vector<int> found;
  auto add = [&](std::string_view patientKey) {
    found.push_back(partitionOf(patientKey, partitions));
  };
  if (write.type == "Patient") add("Patient/" + write.id);
  for (const std::string& target : write.references) {
    if (target.starts_with("Patient/")) add(target);
  }
  if (write.event && write.event->patientKey.starts_with("Patient/")) {
    add(write.event->patientKey);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<std::string> subjects;
  for (int partition : found) subjects.push_back(partitionSubject(partition));
  if (subjects.empty()) subjects.emplace_back(kReferenceSubject);
  return subjects;
}

}  // namespace fhir837::cluster
