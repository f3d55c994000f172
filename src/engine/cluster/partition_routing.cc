#include "engine/cluster/partition_routing.h"

#include <algorithm>
#include <cstdint>

namespace fhir837::cluster {

namespace {

// FNV-1a: fixed by definition, unlike std::hash, so partitions never move between builds.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

int partitionOf(std::string_view patientKey, int partitions) {
  return static_cast<int>(fnv1a(patientKey) % static_cast<std::uint64_t>(partitions));
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
