#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/bulk/line_store.h"

namespace fhir837 {

// An anonymous temp file holding the input lines a conversion must read again (referenced
// resources, billable events, rejected lines), so memory holds only their offsets: bulk exports
// come from pipes, gzip and archives, which cannot be re-read. Unlinked at creation, so a crash
// leaves nothing behind. Appends are buffered and single-threaded; after finishWriting(), reads
// (pread) may come from any thread. As a LineStore it holds the lines of every input it is asked
// about: the spans are its own.
class SpillFile final : public LineStore {
 public:
  static Result<std::unique_ptr<SpillFile>> create(const std::filesystem::path& dir);
  ~SpillFile() override;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  Result<SpillSpan> append(std::string_view bytes);
  // Flushes the buffered appends; no append may follow.
  Status finishWriting();
  Result<std::string> read(SpillSpan span) const;
  Status read(std::uint32_t input, SpillSpan span, std::string& into) const override;
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
