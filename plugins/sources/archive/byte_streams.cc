#include "sources/archive/byte_streams.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace fhir837 {

namespace {

constexpr std::size_t kWholeStreamChunk = 64u << 10;

}  // namespace

FileByteStream::FileByteStream(const std::filesystem::path& path, std::string where)
    : where_(std::move(where)) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = makeError(ErrorCode::kIo, std::string("cannot open: ") + std::strerror(errno), where_);
  } else {
    owned_ = true;
  }
}

FileByteStream::FileByteStream(int fd, std::string where) : fd_(fd), where_(std::move(where)) {}

FileByteStream::~FileByteStream() {
  if (owned_) ::close(fd_);
}

Result<std::size_t> FileByteStream::read(char* buffer, std::size_t size) {
  if (error_) return *error_;
  while (true) {
    ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    error_ = makeError(ErrorCode::kIo, std::string("read failed: ") + std::strerror(errno), where_);
    return *error_;
  }
}

Result<std::size_t> IstreamByteStream::read(char* buffer, std::size_t size) {
  if (in_.bad()) return makeError(ErrorCode::kIo, "read failed", where_);
  in_.read(buffer, static_cast<std::streamsize>(size));
  if (in_.bad()) return makeError(ErrorCode::kIo, "read failed", where_);
  return static_cast<std::size_t>(in_.gcount());
}

std::string_view PeekableStream::peek(std::size_t size) {
  while (head_.size() < size && !ended_) {
    std::size_t have = head_.size();
    head_.resize(size);
    auto got = inner_.read(head_.data() + have, size - have);
    if (!got) {
      error_ = got.error();
      head_.resize(have);
      ended_ = true;
    } else {
      head_.resize(have + *got);
      if (*got == 0) ended_ = true;
    }
  }
  return std::string_view(head_).substr(0, std::min(size, head_.size()));
}

Result<std::size_t> PeekableStream::read(char* buffer, std::size_t size) {
  if (headPos_ < head_.size()) {
    std::size_t n = std::min(size, head_.size() - headPos_);
    std::memcpy(buffer, head_.data() + headPos_, n);
    headPos_ += n;
    return n;
  }
  if (error_) return *error_;
  if (ended_) return std::size_t{0};
  return inner_.read(buffer, size);
}

Result<std::string> readWholeStream(ByteStream& stream, std::size_t maxBytes,
                                    const std::string& where) {
  std::string out;
  while (true) {
    std::size_t have = out.size();
    // Ask for one byte past the limit so an input of exactly maxBytes is accepted.
    std::size_t want = std::min(kWholeStreamChunk, maxBytes + 1 - have);
    out.resize(have + want);
    auto got = stream.read(out.data() + have, want);
    if (!got) return got.error();
    out.resize(have + *got);
    if (*got == 0) return out;
    if (out.size() > maxBytes) {
      return makeError(ErrorCode::kLimitExceeded,
                       "input is larger than the limit of " + std::to_string(maxBytes) + " bytes",
                       where);
    }
  }
}

}  // namespace fhir837
