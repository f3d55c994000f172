#include "sources/inbox/inbox_settle.h"

namespace fhir837::inbox {

bool isCandidateName(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  if (name == "done" || name == "error") return false;
  return !name.ends_with(".tmp") && !name.ends_with(".part");
}

void SettleTracker::renamedIn(const std::string& name) { files_[name].renamed = true; }

bool SettleTracker::complete(const std::string& name, FileSighting seen, SteadyTime now) {
  auto [it, inserted] = files_.try_emplace(name);
  Watch& watch = it->second;
  if (watch.renamed) return true;
  if (inserted || !(watch.seen == seen)) {
    watch.seen = seen;
    watch.since = now;
    return false;
  }
  return now - watch.since >= settle_;
}

void SettleTracker::forget(const std::string& name) { files_.erase(name); }

void SettleTracker::keepOnly(const std::set<std::string>& present) {
  std::erase_if(files_, [&](const auto& entry) { return !present.contains(entry.first); });
}

std::optional<SteadyTime> SettleTracker::nextDue() const {
  std::optional<SteadyTime> due;
  for (const auto& [name, watch] : files_) {
    const SteadyTime at = watch.renamed ? SteadyTime::min() : watch.since + settle_;
    if (!due || at < *due) due = at;
  }
  return due;
}

}  // namespace fhir837::inbox
