#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ndjson/byte_stream.h"

namespace fhir837 {

// A file on disk (or an already open descriptor such as stdin), read with POSIX read(2). Failing
// to open is not reported here but by the first read(), so a visitor sees every input, readable
// or not, and reports it in order. Errors are kIo naming `where`.
class FileByteStream : public ByteStream {
 public:
  FileByteStream(const std::filesystem::path& path, std::string where);
  // Reads `fd` without owning it (stdin).
  FileByteStream(int fd, std::string where);
  ~FileByteStream() override;
  FileByteStream(const FileByteStream&) = delete;
  FileByteStream& operator=(const FileByteStream&) = delete;

  Result<std::size_t> read(char* buffer, std::size_t size) override;

 private:
  int fd_ = -1;
  bool owned_ = false;
  std::string where_;
  std::optional<Error> error_;
};

// A std::istream (an injected stdin in tests, a string stream). A stream whose badbit gets set
// gives kIo.
class IstreamByteStream : public ByteStream {
 public:
  IstreamByteStream(std::istream& in, std::string where) : in_(in), where_(std::move(where)) {}
  Result<std::size_t> read(char* buffer, std::size_t size) override;

 private:
  std::istream& in_;
  std::string where_;
};

// Lets a caller look at the first bytes of a stream (container magic, content sniffing) and then
// read the stream from its start. A read error met while peeking is held back and returned by
// read() once the peeked bytes are consumed, so it surfaces at the point of corruption.
class PeekableStream : public ByteStream {
 public:
  explicit PeekableStream(ByteStream& inner) : inner_(inner) {}

  // Up to `size` bytes from the start of the stream; shorter only when the stream ended (or
  // failed) first. Call before the first read().
  std::string_view peek(std::size_t size);
  // True when peek() saw the end of the stream: the peeked bytes are all there is.
  bool peekedToEnd() const { return ended_; }

  Result<std::size_t> read(char* buffer, std::size_t size) override;

 private:
  ByteStream& inner_;
  std::string head_;
  std::size_t headPos_ = 0;
  bool ended_ = false;
  std::optional<Error> error_;
};

// Reads a whole stream into memory, refusing more than maxBytes (kLimitExceeded naming `where`).
// For single documents (JSON, XML) that the parsers need in one piece.
Result<std::string> readWholeStream(ByteStream& stream, std::size_t maxBytes,
                                    const std::string& where);

}  // namespace fhir837
