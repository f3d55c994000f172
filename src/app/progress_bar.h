#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/progress.h"

namespace fhir837::app {

// One consistent-enough copy of the live counters, so a line is rendered from plain values (and
// can be tested without threads).
struct ProgressSnapshot {
  std::uint64_t totalBytes = 0;
  std::uint64_t bytesRead = 0;
  std::uint64_t files = 0;
  std::uint64_t resources = 0;
  std::uint64_t events = 0;
  std::uint64_t claims = 0;
  std::uint64_t totalEvents = 0;
  int phase = 0;
  double codingSeconds = 0;  // time since the second pass (coding) started, for its ETA
};

ProgressSnapshot snapshotOf(const ConvertProgress& progress);

// The progress line, at most `width` characters, e.g.
//   [========>           ]  41%  3 files  120,000 resources  2,000 claims  85.3 MB/s  ETA 0:12
// While reading, the bar, percentage and ETA follow the bytes and need totalBytes > 0 (and the
// ETA a non-zero rate); while coding they follow the events when totalEvents is known.
// without an ETA the phase ("indexing", "coding") says what is going on. MB = 10^6 bytes, the
// rate is the average since the start. When the line is too wide, the least useful parts go
// first (bar, files, resources, rate, claims, phase, ETA); the last part left is cut to fit.
std::string renderProgressLine(const ProgressSnapshot& s, double elapsedSeconds, std::size_t width);

// Redraws the progress line of `progress` on `out` (a terminal) with '\r' every `interval` from
// a thread of its own, until stop() or destruction. The first draw waits one interval, so a
// conversion that quick never flashes a bar.
class ProgressBar {
 public:
  ProgressBar(const ConvertProgress& progress, std::FILE* out,
              std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Stops redrawing and blanks the line, leaving the cursor at its start so whatever is written
  // next (the summary, an error) stands alone. Idempotent.
  void stop();

 private:
  void run();
  void draw();
  void clear();

  const ConvertProgress& progress_;
  std::FILE* out_;
  const std::chrono::milliseconds interval_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::size_t drawn_ = 0;  // characters of the line now on screen; the thread's until joined
  std::optional<std::chrono::steady_clock::time_point> codingStart_;  // the thread's
  std::thread thread_;  // last: it starts once everything above is ready
};

}  // namespace fhir837::app
