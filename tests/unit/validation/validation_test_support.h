#pragma once

#include <sstream>
#include <string>

#include "engine/validation/x12_validator.h"

namespace fhir837::testing {

struct Validated {
  validation::CollectingSink sink{100000};
  std::optional<validation::ValidationSummary> summary;
  std::optional<Error> unreadable;

  bool valid() const { return !unreadable && sink.errors() == 0; }
  // All findings, one describe() per line, for failure messages.
  std::string dump() const {
    std::string text;
    for (const auto& f : sink.findings()) text += f.describe() + "\n";
    return text;
  }
};

inline std::unique_ptr<Validated> validateText(const std::string& text,
                                               std::size_t chunkSize = 64u << 10) {
  auto result = std::make_unique<Validated>();
  std::istringstream in(text);
  validation::ValidateStreamOptions options;
  options.reader.chunkSize = chunkSize;
  auto summary = validation::validateStream(in, result->sink, options);
  if (summary) {
    result->summary = *summary;
  } else {
    result->unreadable = summary.error();
  }
  return result;
}

}  // namespace fhir837::testing
