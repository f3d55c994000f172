#include "support/x12_validation.h"

#include <sstream>
#include <string>

#include "engine/validation/x12_validator.h"

namespace fhir837::testing {

::testing::AssertionResult isValid837(std::string_view text) {
  // Big enough to list every finding of any file a test writes; the count is reported anyway.
  validation::CollectingSink sink(500);
  std::istringstream in{std::string(text)};
  auto summary = validation::validateStream(in, sink);
  if (!summary) {
    return ::testing::AssertionFailure()
           << "not readable as X12: " << summary.error().message << " at " << summary.error().where;
  }
  if (sink.errors() == 0 && sink.warnings() == 0) {
    if (summary->transactions == 0) {
      return ::testing::AssertionFailure() << "no transaction set in the interchange";
    }
    return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure();
  failure << "the validator reports " << sink.errors() << " error(s) and " << sink.warnings()
          << " warning(s) in " << summary->transactions << " transaction set(s):";
  for (const auto& finding : sink.findings()) failure << "\n  " << finding.describe();
  if (sink.dropped() > 0) failure << "\n  ... " << sink.dropped() << " more not listed";
  return failure;
}

}  // namespace fhir837::testing
