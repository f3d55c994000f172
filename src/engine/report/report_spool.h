#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/result.h"

namespace fhir837 {

namespace detail {
struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;
}  // namespace detail

// A report file written under a temporary name in the target's directory and renamed over the
// target by commit(), so readers (and a crash) see either no file or the whole file, as with
// writeFileAtomically; but it takes the bytes piece by piece, for documents too big to hold.
// Dropped before commit(), it removes the temporary.
class AtomicOutputFile {
 public:
  static Result<AtomicOutputFile> create(const std::filesystem::path& target);
  AtomicOutputFile(AtomicOutputFile&& other) noexcept = default;
  AtomicOutputFile& operator=(AtomicOutputFile&&) = delete;  // the buffer must outlive the FILE
  ~AtomicOutputFile();

  Status write(std::string_view bytes);
  // Appends the whole of `source` (flushed first) in the kernel where the file system allows,
  // else through a buffer: a bulk report's claims are copied without passing through user space.
  Status append(std::FILE* source, const std::filesystem::path& sourcePath);
  Status commit();

 private:
  AtomicOutputFile(std::filesystem::path target, std::filesystem::path temp);

  std::filesystem::path target_, temp_;
  std::unique_ptr<char[]> buffer_;  // declared before file_ so fclose still has it
  detail::FilePtr file_;
};

// The elements of one JSON array, already rendered, in a temporary file: a report with millions
// of claims then costs disk, not memory. Each element is stored as it
// appears in the final document, so the array body is copied back verbatim.
class SpooledArray {
 public:
  static Result<SpooledArray> create(const std::filesystem::path& dir, std::string_view stem);
  SpooledArray(SpooledArray&& other) noexcept = default;
  SpooledArray& operator=(SpooledArray&&) = delete;  // the buffer must outlive the FILE
  ~SpooledArray();

  // `element` must start with the newline and indent PrettyWriter puts before a first element;
  // the comma between elements is added here.
  Status append(std::string_view element);
  // Copies the array body in chunks, never whole; the elements stay spooled.
  Status copyTo(AtomicOutputFile& out);
  std::size_t count() const { return count_; }
  void remove();  // closes and deletes the file; append/copyTo fail afterwards

 private:
  SpooledArray(std::filesystem::path path, detail::FilePtr file, std::unique_ptr<char[]> buffer);
  Status ensureOpen() const;

  std::filesystem::path path_;
  std::unique_ptr<char[]> buffer_;  // declared before file_ so fclose still has it
  detail::FilePtr file_;
  std::size_t count_ = 0;
};

// The spooled claims and not-billed events of one report, in temporary files under a directory
// that is created when missing and removed again (when it was created here and is empty).
class ReportSpool {
 public:
  static Result<std::unique_ptr<ReportSpool>> open(const std::filesystem::path& dir);
  ReportSpool(const ReportSpool&) = delete;
  ReportSpool& operator=(const ReportSpool&) = delete;
  ~ReportSpool();

  SpooledArray& claims() { return claims_; }
  SpooledArray& outcomes() { return outcomes_; }
  // Deletes the files once the report is written; nothing can be added afterwards.
  void remove();
  bool removed() const { return removed_; }

 private:
  ReportSpool(std::filesystem::path dir, bool createdDir, SpooledArray claims,
              SpooledArray outcomes);

  std::filesystem::path dir_;
  bool createdDir_;
  SpooledArray claims_, outcomes_;
  bool removed_ = false;
};

}  // namespace fhir837
