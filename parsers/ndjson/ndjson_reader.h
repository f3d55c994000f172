#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ndjson/byte_stream.h"

namespace fhir837 {

struct NdjsonLimits {
  std::size_t maxLineBytes = 64u << 20;  // one line, CR included, LF excluded
  std::size_t chunkBytes = 64u << 10;    // bytes asked of the stream per read
};

struct NdjsonLine {
  std::size_t lineNumber = 0;  // 1-based physical line number (blank lines count)
  std::string_view text;       // without LF / CRLF; valid until the next call to next()
  std::uint64_t offset = 0;    // of the line's first byte in the stream (a file's lines can be
                               // read again from the file by offset)
};

// Splits a ByteStream into NDJSON lines (FHIR bulk data: one resource per line) one at a time,
// holding at most one line plus one chunk in memory. It does not parse JSON: the caller hands
// each line to parseFhirJson.
//
// - Lines end at LF; a CR before the LF is dropped. A last line without LF is still a line.
// - Blank lines (empty, or only spaces/tabs/CR) are skipped.
// - A line longer than maxLineBytes is an error for that line only (kLimitExceeded, where
//   "<source>: line N"); its bytes are skipped up to the next LF and reading goes on.
// - A stream read error ends the input: next() returns that error once, then done() is true.
//
// Loop:
//   while (!reader.done()) {
//     auto line = reader.next();
//     if (!line) { report(line.error()); continue; }
//     if (!*line) break;  // end of stream
//     parse((*line)->text);
//   }
class NdjsonReader {
 public:
  NdjsonReader(ByteStream& stream, std::string source, NdjsonLimits limits = {});

  // The next non-blank line, nullopt at the end of the stream, or an error (see above).
  Result<std::optional<NdjsonLine>> next();

  // True once the end of the stream or a stream error has been returned.
  bool done() const { return done_; }
  // Bytes the stream has given so far (all of it once done() without an error).
  std::uint64_t bytesRead() const { return bufferStart_ + end_; }
  const std::string& source() const { return source_; }

 private:
  // Reads the next chunk into buffer_; false at end of stream or on error (stored in
  // streamError_).
  bool fill();
  // The physical line ending at buffer_[pos_..lf) plus any carried bytes; nullopt if blank.
  std::optional<NdjsonLine> finishLine(std::string_view tail);
  Error tooLong(std::size_t lineNumber) const;

  ByteStream& stream_;
  std::string source_;
  NdjsonLimits limits_;
  std::string buffer_;  // one chunk
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t bufferStart_ = 0;  // stream offset of buffer_[0]
  std::uint64_t lineStart_ = 0;    // stream offset of the line being read
  std::string carry_;              // the start of a line that spans chunks
  std::size_t lineNumber_ = 0;
  bool eof_ = false;
  bool done_ = false;
  std::optional<Error> streamError_;
};

}  // namespace fhir837
