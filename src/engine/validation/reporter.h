#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/validation/finding.h"

namespace fhir837::validation {

// Thin front of a FindingSink so the checkers can say error(...)/warning(...) in one line.
class Reporter {
 public:
  explicit Reporter(FindingSink& sink) : sink_(sink) {}

  void error(std::uint64_t segment, std::string_view segmentId, std::string_view loop,
             std::string element, std::string message) {
    add(Severity::kError, segment, segmentId, loop, std::move(element), std::move(message));
  }
  void warning(std::uint64_t segment, std::string_view segmentId, std::string_view loop,
               std::string element, std::string message) {
    add(Severity::kWarning, segment, segmentId, loop, std::move(element), std::move(message));
  }

 private:
  void add(Severity severity, std::uint64_t segment, std::string_view segmentId,
           std::string_view loop, std::string element, std::string message) {
    sink_.add(Finding{severity, segment, std::string(segmentId), std::string(loop),
                      std::move(element), std::move(message)});
  }

  FindingSink& sink_;
};

}  // namespace fhir837::validation
