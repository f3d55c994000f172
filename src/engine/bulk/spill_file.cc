#include "engine/bulk/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace fhir837 {

namespace {

constexpr std::size_t kWriteBuffer = 4u << 20;

Error ioError(const std::string& what, const std::string& where) {
  return makeError(ErrorCode::kIo, what + ": " + std::strerror(errno), where);
}

}  // namespace

Result<std::unique_ptr<SpillFile>> SpillFile::create(const std::filesystem::path& dir) {
  const std::string where = dir.string();
  // O_TMPFILE is not supported by every file system; a named file unlinked at once is the
  // portable fallback.
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::string pattern = (dir / "fhir837-spill.XXXXXX").string();
    fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) return ioError("cannot create a spill file", where);
    ::unlink(pattern.c_str());
  }
  return std::unique_ptr<SpillFile>(new SpillFile(fd, where));
}

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<SpillSpan> SpillFile::append(std::string_view bytes) {
  if (!writing_) throw std::logic_error("SpillFile::append after finishWriting");
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
    return makeError(ErrorCode::kLimitExceeded, "record too large to spill", where_);
  }
  SpillSpan span{size_, static_cast<std::uint32_t>(bytes.size())};
  buffer_.append(bytes);
  size_ += bytes.size();
  if (buffer_.size() >= kWriteBuffer) {
    if (Status s = flush(); !s) return s.error();
  }
  return span;
}

Status SpillFile::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ioError("cannot write the spill file", where_);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return Status::ok();
}

Status SpillFile::finishWriting() {
  if (!writing_) return Status::ok();
  writing_ = false;
  Status flushed = flush();
  buffer_.shrink_to_fit();
  return flushed;
}

Result<std::string> SpillFile::read(SpillSpan span) const {
  std::string bytes;
  if (Status s = read(0, span, bytes); !s) return s.error();
  return bytes;
}

Status SpillFile::read(std::uint32_t, SpillSpan span, std::string& into) const {
  if (writing_) throw std::logic_error("SpillFile::read before finishWriting");
  into.resize(span.length);
  std::size_t done = 0;
  while (done < into.size()) {
    ssize_t n = ::pread(fd_, into.data() + done, into.size() - done,
                        static_cast<off_t>(span.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ioError("cannot read the spill file", where_);
    if (n == 0) {
      return makeError(ErrorCode::kIo, "the spill file ends before a record it holds", where_);
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace fhir837
