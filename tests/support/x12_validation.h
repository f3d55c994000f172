#pragma once

#include <gtest/gtest.h>

#include <string_view>

namespace fhir837::testing {

// Runs the implementation-guide validator (engine/validation) over a whole 837 interchange.
// Succeeds only when it is readable and the validator reports nothing at all: warnings fail
// too, because every 837 the tests write comes from our own emitters and should be clean. The
// failure message lists every finding (positions, loops and element ids; no data values).
::testing::AssertionResult isValid837(std::string_view text);

}  // namespace fhir837::testing
