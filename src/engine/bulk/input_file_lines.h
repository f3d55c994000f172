#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/bulk/line_store.h"

namespace fhir837 {

// What says a regular file is still the one the first pass read: a file rewritten in place
// changes its size or modification time, a replaced one its inode. (Modification times tick
// with the kernel's clock, a few milliseconds, so an in-place rewrite of the same size within
// one tick of the first read is the one change this cannot see.)
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtimeNs = 0;
  bool regular = false;

  bool operator==(const FileIdentity&) const = default;
  // kIo naming `where` when fstat fails.
  static Result<FileIdentity> of(int fd, const std::string& where);
};

// The NDJSON lines of regular input files, read again where they lie (pread by byte offset), so
// the first pass spills nothing for them; every other input's lines come from `others` (the
// SpillFile). pread, not mmap: mapped pages would count in the process's resident memory.
//
// Files are opened lazily and at most `maxOpen` at a time (a run may have thousands of inputs).
// Each read checks the file against the FileIdentity recorded when the first pass read it: a
// file that changed in between is an error naming it, never a line of some other content.
// add() is single-threaded (the first pass); read() may come from any thread.
class InputFileLines final : public LineStore {
 public:
  explicit InputFileLines(const LineStore& others, std::size_t maxOpen = 16);
  ~InputFileLines() override;
  InputFileLines(const InputFileLines&) = delete;
  InputFileLines& operator=(const InputFileLines&) = delete;

  // Input `input` is the regular file `path` (named `display` in errors) as `identity` says.
  void add(std::uint32_t input, std::filesystem::path path, std::string display,
           FileIdentity identity);
  bool holds(std::uint32_t input) const {
    return input < files_.size() && files_[input].has_value();
  }
  Status read(std::uint32_t input, SpillSpan span, std::string& into) const override;

 private:
  struct File {
    std::filesystem::path path;
    std::string display;
    FileIdentity identity;
  };
  struct OpenFile;
  Result<std::shared_ptr<const OpenFile>> open(std::uint32_t input) const;

  const LineStore& others_;
  std::size_t maxOpen_;
  std::vector<std::optional<File>> files_;
  mutable std::mutex mutex_;
  // Most recently used first; a reader holds its file open (shared_ptr) while an eviction runs.
  mutable std::list<std::pair<std::uint32_t, std::shared_ptr<const OpenFile>>> open_;
};

// The error of a file that is no longer the one the first pass read.
Error inputChangedError(const std::string& display);

}  // namespace fhir837
