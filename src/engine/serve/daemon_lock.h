#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "core/result.h"

namespace fhir837::serve {

// <state-dir>/serve.lock, held (flock, exclusive) by the one process that may write the journal
// and apply operator actions: `fhir837 serve` for as long as it runs, or a `fhir837 queue`
// command applying an action while no daemon runs. The kernel drops it when the process dies, so
// a crash leaves nothing to clean up.
class DaemonLock {
 public:
  // Waits up to `patience` for the lock; kIo naming the holder's kind when it stays taken.
  static Result<std::unique_ptr<DaemonLock>> acquire(const std::filesystem::path& stateDir,
                                                     std::chrono::milliseconds patience);
  // The lock if it is free now, else nullptr (a daemon runs).
  static Result<std::unique_ptr<DaemonLock>> tryAcquire(const std::filesystem::path& stateDir);
  ~DaemonLock();
  DaemonLock(const DaemonLock&) = delete;
  DaemonLock& operator=(const DaemonLock&) = delete;

 private:
  explicit DaemonLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace fhir837::serve
