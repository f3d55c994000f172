#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "core/result.h"
#include "x12/x12_segment.h"

namespace fhir837::x12 {

struct X12ReaderLimits {
  std::size_t chunkSize = 64u << 10;   // bytes read from the stream at a time
  std::size_t maxSegment = 64u << 10;  // a longer segment is a syntax error (bounds memory)
};

// Streams X12 segments out of an istream with bounded memory: one chunk plus one segment.
// Delimiters come from each ISA (element = char 3, repetition = ISA11, component = the character
// after the 16th element separator, terminator = the one after that — chars 82/104/105 of a
// well-formed 106-char ISA). CR/LF after a terminator is skipped; a segment that begins with
// "ISA" starts a new interchange and re-reads the delimiters, so several interchanges per file
// work. ISA length and delimiter validity (NUL, non-ASCII, alphanumeric or repeated delimiters)
// are left to the validator (the segment's delimiters show them).
class X12SegmentReader {
 public:
  explicit X12SegmentReader(std::istream& in, X12ReaderLimits limits = {});

  // true: `out` holds the next segment; false: clean end of input. An Error (kSyntax/kLimitExceeded
  // with where = "byte N") ends the stream: the reader cannot resynchronise after it.
  Result<bool> next(X12Segment& out);

  std::uint64_t bytesConsumed() const { return consumed_; }
  bool sawInterchange() const { return sawIsa_; }
  // The input began with a UTF-8 byte order mark (skipped so the ISA can still be read; X12 has
  // no BOM, so the validator reports it).
  bool sawByteOrderMark() const { return sawBom_; }

 private:
  bool ensure(std::size_t bytes);  // tries to have `bytes` unread bytes buffered
  std::size_t available() const { return buffer_.size() - pos_; }
  Result<bool> readIsa(X12Segment& out);
  Result<bool> readSegment(X12Segment& out);
  void skipLineBreaks();

  std::istream& in_;
  X12ReaderLimits limits_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;  // stream offset of buffer_[pos_]
  X12Delimiters delimiters_;
  bool sawIsa_ = false;
  bool sawBom_ = false;
  bool failed_ = false;
};

}  // namespace fhir837::x12
