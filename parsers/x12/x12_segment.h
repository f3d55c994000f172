#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fhir837::x12 {

// The four delimiters an interchange declares in its ISA (X12.5; x12-837-map.md §1).
struct X12Delimiters {
  char element = '*';
  char repetition = '^';
  char component = ':';
  char segment = '~';
};

// One segment as read from the stream: its raw text (without terminator) and the positions of
// its elements. Element 0 is the segment id; element(i) for i past the end is "" so callers can
// ask for optional elements without bounds checks.
class X12Segment {
 public:
  std::string_view text() const { return text_; }
  std::string_view id() const { return element(0); }
  // Number of elements after the id (trailing empties included, as written).
  std::size_t size() const { return starts_.empty() ? 0 : starts_.size() - 1; }
  std::string_view element(std::size_t index) const;
  // Components of element `index` split by the component separator (1-based `component`).
  std::string_view component(std::size_t index, std::size_t component) const;
  std::size_t componentCount(std::size_t index) const;
  const X12Delimiters& delimiters() const { return delimiters_; }
  // Byte offset of the segment's first character in the stream.
  std::uint64_t offset() const { return offset_; }
  // false for a last segment cut off by the end of input (no terminator).
  bool terminated() const { return terminated_; }
  void setTerminated(bool terminated) { terminated_ = terminated; }

  // Used by the reader: replaces the text and re-splits it.
  void assign(std::string_view text, const X12Delimiters& delimiters, std::uint64_t offset);
  std::string& buffer() { return text_; }
  void split(const X12Delimiters& delimiters, std::uint64_t offset);

 private:
  std::string text_;
  std::vector<std::uint32_t> starts_;  // start of each element; size()+1 entries
  X12Delimiters delimiters_;
  std::uint64_t offset_ = 0;
  bool terminated_ = true;
};

}  // namespace fhir837::x12
