#include "ndjson/ndjson_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace fhir837 {

namespace {

bool isBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

NdjsonReader::NdjsonReader(ByteStream& stream, std::string source, NdjsonLimits limits)
    : stream_(stream), source_(std::move(source)), limits_(limits) {
  buffer_.resize(std::max<std::size_t>(limits_.chunkBytes, 1));
}

bool NdjsonReader::fill() {
  auto got = stream_.read(buffer_.data(), buffer_.size());
  if (!got) {
    streamError_ = got.error();
    eof_ = true;
    return false;
  }
  if (*got == 0) {
    eof_ = true;
    return false;
  }
  bufferStart_ += end_;
  pos_ = 0;
  end_ = std::min(*got, buffer_.size());  // a stream never over-reports; clamp all the same
  return true;
}

std::optional<NdjsonLine> NdjsonReader::finishLine(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (isBlank(text)) return std::nullopt;
  return NdjsonLine{lineNumber_, text, lineStart_};
}

Error NdjsonReader::tooLong(std::size_t lineNumber) const {
  return makeError(
      ErrorCode::kLimitExceeded,
      "NDJSON line longer than " + std::to_string(limits_.maxLineBytes) + " bytes; line skipped",
      source_ + ": line " + std::to_string(lineNumber));
}

Result<std::optional<NdjsonLine>> NdjsonReader::next() {
  if (done_) return std::optional<NdjsonLine>{};
  carry_.clear();
  std::size_t lineBytes = 0;  // bytes of the current line seen so far
  bool skipping = false;      // the current line passed maxLineBytes; drop bytes up to LF
  lineStart_ = bufferStart_ + pos_;
  while (true) {
    if (pos_ == end_) {
      if (!eof_ && fill()) continue;
      if (streamError_) {
        done_ = true;
        return *streamError_;
      }
      if (skipping) {
        ++lineNumber_;
        return tooLong(lineNumber_);
      }
      if (lineBytes > 0) {
        ++lineNumber_;
        if (auto line = finishLine(carry_)) return line;
      }
      done_ = true;
      return std::optional<NdjsonLine>{};
    }
    const char* start = buffer_.data() + pos_;
    const auto* lf = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    std::size_t n = lf ? static_cast<std::size_t>(lf - start) : end_ - pos_;
    if (!skipping && lineBytes + n > limits_.maxLineBytes) {
      skipping = true;
      carry_.clear();
    }
    lineBytes += n;
    if (!lf) {
      if (!skipping) carry_.append(start, n);
      pos_ = end_;
      continue;
    }
    pos_ += n + 1;
    ++lineNumber_;
    if (skipping) return tooLong(lineNumber_);
    std::string_view text(start, n);
    if (!carry_.empty()) {
      carry_.append(start, n);
      text = carry_;
    }
    if (auto line = finishLine(text)) return line;
    carry_.clear();
    lineBytes = 0;
    lineStart_ = bufferStart_ + pos_;
  }
}

}  // namespace fhir837
