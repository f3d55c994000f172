#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

// Where one record's bytes sit in a SpillFile.
struct SpillSpan {
  std::uint64_t offset = 0;
  std::uint32_t length = 0;
};

// An anonymous temp file holding the input lines a conversion must read again (referenced
// resources, billable events, rejected lines), so memory holds only their offsets: bulk exports
// come from pipes, gzip and archives, which cannot be re-read. Unlinked at creation, so a crash
// leaves nothing behind. Appends are buffered and single-threaded; after finishWriting(), reads
// (pread) may come from any thread.
class SpillFile {
 public:
  static Result<std::unique_ptr<SpillFile>> create(const std::filesystem::path& dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  Result<SpillSpan> append(std::string_view bytes);
  // Flushes the buffered appends; no append may follow.
  Status finishWriting();
  Result<std::string> read(SpillSpan span) const;
  std::uint64_t size() const { return size_; }

 private:
  SpillFile(int fd, std::string where) : fd_(fd), where_(std::move(where)) {}
  Status flush();

  int fd_ = -1;
  std::string where_;  // the directory, for error messages
  std::string buffer_;
  std::uint64_t size_ = 0;  // bytes appended, buffered ones included
  bool writing_ = true;
};

}  // namespace fhir837
