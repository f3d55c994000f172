#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace fhir837 {

// A pull source of bytes: a file, stdin, a decompressed gzip stream or one archive member. The
// interface lives with the parsers (not in plugins/sources/archive, which implements it) because
// parsers may depend only on core, and the NDJSON reader consumes it.
//
// read() fills up to `size` bytes and returns how many it wrote; 0 means end of stream. An Error
// (kIo for the operating system, kSyntax for corrupt compressed data) ends the stream: once a
// read fails, every later read returns the same error.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Result<std::size_t> read(char* buffer, std::size_t size) = 0;
};

// A stream over bytes the caller owns (tests, fuzzing, a document already in memory).
class MemoryByteStream : public ByteStream {
 public:
  explicit MemoryByteStream(std::string_view bytes) : bytes_(bytes) {}

  Result<std::size_t> read(char* buffer, std::size_t size) override {
    std::size_t n = std::min(size, bytes_.size() - pos_);
    if (n > 0) std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace fhir837
