#include "x12/x12_segment.h"

namespace fhir837::x12 {

std::string_view X12Segment::element(std::size_t index) const {
  if (index >= starts_.size()) return {};
  std::size_t begin = starts_[index];
  std::size_t end = index + 1 < starts_.size() ? starts_[index + 1] - 1 : text_.size();
  return std::string_view(text_).substr(begin, end - begin);
}

std::string_view X12Segment::component(std::size_t index, std::size_t component) const {
  std::string_view value = element(index);
  for (std::size_t i = 1; i < component; ++i) {
    std::size_t next = value.find(delimiters_.component);
    if (next == std::string_view::npos) return {};
    value.remove_prefix(next + 1);
  }
  return value.substr(0, value.find(delimiters_.component));
}

std::size_t X12Segment::componentCount(std::size_t index) const {
  std::string_view value = element(index);
  if (value.empty()) return 0;
  std::size_t count = 1;
  for (char c : value) count += c == delimiters_.component ? 1 : 0;
  return count;
}

void X12Segment::assign(std::string_view text, const X12Delimiters& delimiters,
                        std::uint64_t offset) {
  text_.assign(text);
  split(delimiters, offset);
}

void X12Segment::split(const X12Delimiters& delimiters, std::uint64_t offset) {
  delimiters_ = delimiters;
  offset_ = offset;
  starts_.clear();
  starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == delimiters.element) starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
}

}  // namespace fhir837::x12
