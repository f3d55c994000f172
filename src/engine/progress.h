#pragma once

#include <atomic>
#include <cstdint>

namespace fhir837 {

// Live counters of a running conversion, written by the converter's threads and read by whoever
// shows progress (the CLI's progress bar). Relaxed atomics: a reader only needs a recent value.
struct ConvertProgress {
  // Set once before the conversion starts: the on-disk size of the inputs, for an ETA; 0 when
  // unknown (stdin, or compressed inputs whose uncompressed size is not known).
  std::atomic<std::uint64_t> totalBytes{0};
  std::atomic<std::uint64_t> bytesRead{0};    // input bytes consumed so far (uncompressed)
  std::atomic<std::uint64_t> files{0};        // inputs (files, archive members) opened so far
  std::atomic<std::uint64_t> resources{0};    // resources read so far
  std::atomic<std::uint64_t> events{0};       // billable events processed so far (second pass)
  std::atomic<std::uint64_t> totalEvents{0};  // set when the second pass starts
  std::atomic<std::uint64_t> claims{0};       // claims written so far
  // 0 = reading and indexing the inputs, 1 = coding and writing claims, 2 = done.
  std::atomic<int> phase{0};
};

}  // namespace fhir837
