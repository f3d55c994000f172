#include "emitters/x12_common/x12_segment_writer.h"

#include <string>

namespace fhir837::x12 {

Segment& Segment::add(std::string_view value) {
  elements_.push_back({std::string(value)});
  return *this;
}

Segment& Segment::addComposite(std::vector<std::string> components) {
  elements_.push_back(std::move(components));
  return *this;
}

Segment& Segment::skip(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) elements_.push_back({});
  return *this;
}

namespace {

bool holdsDelimiter(std::string_view value, const Delimiters& d) {
  for (char c : value) {
    if (c == d.element || c == d.component || c == d.repetition || c == d.segment || c == '\r' ||
        c == '\n') {
      return true;
    }
  }
  return false;
}

// Components joined with the component separator, trailing empty ones dropped.
std::string joinComponents(const std::vector<std::string>& components, char separator) {
  std::size_t used = components.size();
  while (used > 0 && components[used - 1].empty()) --used;
  std::string out;
  for (std::size_t i = 0; i < used; ++i) {
    if (i > 0) out.push_back(separator);
    out += components[i];
  }
  return out;
}

}  // namespace

bool SegmentWriter::write(const Segment& segment) {
  std::vector<std::string> rendered;
  rendered.reserve(segment.elements().size());
  for (std::size_t e = 0; e < segment.elements().size(); ++e) {
    const auto& components = segment.elements()[e];
    for (const auto& component : components) {
      if (holdsDelimiter(component, delimiters_)) {
        if (!refused_) {
          const std::string position = (e + 1 < 10 ? "0" : "") + std::to_string(e + 1);
          refused_ = Error{ErrorCode::kInvalidValue,
                           "value holds an X12 delimiter (not sanitised); segment not written",
                           segment.id() + position, ""};
        }
        return false;
      }
    }
    rendered.push_back(joinComponents(components, delimiters_.component));
  }
  while (!rendered.empty() && rendered.back().empty()) rendered.pop_back();
  if (rendered.empty()) return false;
  out_ += segment.id();
  for (const auto& element : rendered) {
    out_.push_back(delimiters_.element);
    out_ += element;
  }
  terminate();
  return true;
}

Status SegmentWriter::status() const {
  if (refused_) return *refused_;
  return {};
}

void SegmentWriter::writeRaw(std::string_view segmentWithoutTerminator) {
  out_ += segmentWithoutTerminator;
  terminate();
}

void SegmentWriter::terminate() {
  out_.push_back(delimiters_.segment);
  if (newline_) out_.push_back('\n');
  ++count_;
}

}  // namespace fhir837::x12
