#include "engine/validation/finding.h"

namespace fhir837::validation {

const char* toString(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string Finding::describe() const {
  std::string text = toString(severity);
  text += " seg " + std::to_string(segment) + " " + (segmentId.empty() ? "-" : segmentId);
  text += " loop " + (loop.empty() ? std::string("-") : loop);
  if (!element.empty()) text += " " + element;
  text += ": " + message;
  return text;
}

void CollectingSink::add(Finding finding) {
  if (finding.severity == Severity::kError) {
    ++errors_;
  } else {
    ++warnings_;
  }
  if (findings_.size() < limit_) {
    findings_.push_back(std::move(finding));
  } else {
    ++dropped_;
  }
}

}  // namespace fhir837::validation
