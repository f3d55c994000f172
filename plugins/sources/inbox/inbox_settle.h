#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace fhir837::inbox {

using SteadyTime = std::chrono::steady_clock::time_point;

// What a directory scan saw of one file.
struct FileSighting {
  std::uintmax_t size = 0;
  std::int64_t mtimeNs = 0;
  bool operator==(const FileSighting&) const = default;
};

// False for the names a writer uses while it writes (dotfiles, *.tmp, *.part) and for the inbox's
// own done/ and error/: those are never picked up.
bool isCandidateName(std::string_view name);

// When a file in the inbox is complete. A writer either writes elsewhere and renames the file in
// (complete at once: rename(2) is atomic), or writes in place; then the file is complete once its
// size and mtime have not changed for `settle`. Nothing can tell a writer that paused from one
// that finished, so `settle` must be longer than a writer's longest pause.
class SettleTracker {
 public:
  explicit SettleTracker(std::chrono::milliseconds settle) : settle_(settle) {}

  // The name arrived by rename (inotify IN_MOVED_TO): complete when next seen.
  void renamedIn(const std::string& name);
  // Records a scan's sighting of `name` at `now`; true when the file is complete.
  bool complete(const std::string& name, FileSighting seen, SteadyTime now);
  // The file was taken (or is gone): its history is dropped.
  void forget(const std::string& name);
  // Drops every name a scan no longer found.
  void keepOnly(const std::set<std::string>& present);
  // When a file seen but not yet complete may next be complete; nullopt when none waits.
  std::optional<SteadyTime> nextDue() const;

 private:
  struct Watch {
    FileSighting seen;
    SteadyTime since;  // when `seen` was first observed
    bool renamed = false;
  };
  std::chrono::milliseconds settle_;
  std::map<std::string, Watch> files_;
};

}  // namespace fhir837::inbox
