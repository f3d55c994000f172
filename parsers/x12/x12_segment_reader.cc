#include "x12/x12_segment_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace fhir837::x12 {

namespace {

// Far enough to find the 16 ISA separators even when a padded field is a few chars too long.
constexpr std::size_t kIsaScanWindow = 160;
constexpr std::size_t kIsaSeparators = 16;

bool isLineBreak(char c) { return c == '\r' || c == '\n'; }

Error syntaxError(std::string message, std::uint64_t offset) {
  return makeError(ErrorCode::kSyntax, std::move(message), "byte " + std::to_string(offset));
}

}  // namespace

X12SegmentReader::X12SegmentReader(std::istream& in, X12ReaderLimits limits)
    : in_(in), limits_(limits) {
  limits_.chunkSize = std::max<std::size_t>(1, limits_.chunkSize);
  limits_.maxSegment = std::max<std::size_t>(kIsaScanWindow, limits_.maxSegment);
}

bool X12SegmentReader::ensure(std::size_t bytes) {
  while (available() < bytes) {
    if (!in_.good()) return false;
    if (pos_ > 0) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
    std::size_t old = buffer_.size();
    buffer_.resize(old + limits_.chunkSize);
    in_.read(buffer_.data() + old, static_cast<std::streamsize>(limits_.chunkSize));
    buffer_.resize(old + static_cast<std::size_t>(in_.gcount()));
    if (in_.gcount() == 0) return available() >= bytes;
  }
  return true;
}

void X12SegmentReader::skipLineBreaks() {
  while (ensure(1)) {
    char c = buffer_[pos_];
    // A terminator or separator that is itself CR/LF is data, not a line break.
    if (!isLineBreak(c) || (sawIsa_ && (c == delimiters_.segment || c == delimiters_.element))) {
      return;
    }
    ++pos_;
    ++consumed_;
  }
}

Result<bool> X12SegmentReader::next(X12Segment& out) {
  if (failed_) return false;
  if (!sawIsa_) {
    // Leading whitespace (and a UTF-8 BOM) before the first ISA is tolerated.
    while (ensure(1) && std::isspace(static_cast<unsigned char>(buffer_[pos_]))) {
      ++pos_;
      ++consumed_;
    }
    if (ensure(3) && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
      pos_ += 3;
      consumed_ += 3;
      sawBom_ = true;
    }
  } else {
    skipLineBreaks();
  }
  if (!ensure(1)) {
    if (!sawIsa_) {
      failed_ = true;
      return syntaxError("no ISA header: the input is empty", consumed_);
    }
    return false;
  }
  if (ensure(4) && std::memcmp(buffer_.data() + pos_, "ISA", 3) == 0 &&
      !std::isalnum(static_cast<unsigned char>(buffer_[pos_ + 3]))) {
    return readIsa(out);
  }
  if (!sawIsa_) {
    failed_ = true;
    return syntaxError("no ISA header: the input does not start with ISA", consumed_);
  }
  return readSegment(out);
}

Result<bool> X12SegmentReader::readIsa(X12Segment& out) {
  ensure(kIsaScanWindow);
  const char* data = buffer_.data() + pos_;
  const std::size_t window = std::min(available(), kIsaScanWindow);
  const char element = data[3];
  std::size_t separators = 0;
  std::size_t last = 0;
  std::size_t isa11Start = 0;
  for (std::size_t i = 3; i < window && separators < kIsaSeparators; ++i) {
    if (data[i] != element) continue;
    ++separators;
    last = i;
    if (separators == 11) isa11Start = i + 1;
  }
  if (separators < kIsaSeparators || last + 2 >= window) {
    failed_ = true;
    return syntaxError("ISA header malformed: its 16 elements and delimiters were not found",
                       consumed_);
  }
  X12Delimiters found;
  found.element = element;
  found.component = data[last + 1];
  found.segment = data[last + 2];
  // ISA11 is the repetition separator in 5010 (char 82 of a well-formed ISA).
  found.repetition = data[isa11Start];
  delimiters_ = found;
  sawIsa_ = true;
  const std::size_t length = last + 2;  // without the terminator
  out.buffer().assign(data, length);
  out.split(delimiters_, consumed_);
  out.setTerminated(true);
  pos_ += length + 1;
  consumed_ += length + 1;
  return true;
}

Result<bool> X12SegmentReader::readSegment(X12Segment& out) {
  std::string& text = out.buffer();
  text.clear();
  const std::uint64_t start = consumed_;
  bool terminated = false;
  while (true) {
    if (!ensure(1)) {
      // End of input without a terminator: the last segment is still reported; the validator
      // flags the missing IEA/terminator through the envelope counts.
      if (text.empty()) return false;
      break;
    }
    const char* begin = buffer_.data() + pos_;
    const void* hit = std::memchr(begin, delimiters_.segment, available());
    std::size_t take = hit ? static_cast<const char*>(hit) - begin : available();
    if (text.size() + take > limits_.maxSegment) {
      failed_ = true;
      return makeError(ErrorCode::kLimitExceeded,
                       "segment longer than " + std::to_string(limits_.maxSegment) + " bytes",
                       "byte " + std::to_string(start));
    }
    text.append(begin, take);
    pos_ += take;
    consumed_ += take;
    if (hit) {
      ++pos_;
      ++consumed_;
      terminated = true;
      break;
    }
  }
  out.split(delimiters_, start);
  out.setTerminated(terminated);
  return true;
}

}  // namespace fhir837::x12
