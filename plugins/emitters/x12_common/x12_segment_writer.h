#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "emitters/x12_common/x12_delimiters.h"

namespace fhir837::x12 {

// One segment under construction: positional elements, each a simple value or the components
// of a composite. Values must already be sanitised (x12_sanitizer.h); the writer refuses any
// that still holds a delimiter.
class Segment {
 public:
  explicit Segment(std::string_view id) : id_(id) {}

  // Appends one simple element (empty is fine: interior empties keep their position).
  Segment& add(std::string_view value);
  // Appends one composite element.
  Segment& addComposite(std::vector<std::string> components);
  // Appends `count` empty elements.
  Segment& skip(std::size_t count = 1);

  const std::string& id() const { return id_; }
  const std::vector<std::vector<std::string>>& elements() const { return elements_; }

 private:
  std::string id_;
  std::vector<std::vector<std::string>> elements_;
};

// Serialises segments with the §4 rules: trailing empty elements and trailing empty components
// are dropped, interior empties are kept, and a segment whose elements are all empty is not
// written at all. Counts the segments written since the last resetCount() (SE01).
class SegmentWriter {
 public:
  explicit SegmentWriter(bool newlineAfterSegment, Delimiters delimiters = kDelimiters)
      : delimiters_(delimiters), newline_(newlineAfterSegment) {}

  // Returns false when the segment had nothing to write, or when a value still contains a
  // delimiter. That is a missing sanitize call; it is recorded (status()) instead of thrown so
  // that one bad claim fails its interchange with an error and never kills a long-lived process.
  bool write(const Segment& segment);
  // The first refused segment, if any: an interchange with a refused segment must not be sent.
  Status status() const;
  // Writes pre-formatted segment text (ISA, whose fixed-width layout carries the delimiters).
  void writeRaw(std::string_view segmentWithoutTerminator);

  void resetCount() { count_ = 0; }
  std::size_t count() const { return count_; }
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void terminate();

  Delimiters delimiters_;
  bool newline_;
  std::string out_;
  std::size_t count_ = 0;
  std::optional<Error> refused_;
};

}  // namespace fhir837::x12
