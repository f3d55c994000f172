#pragma once

#include <string_view>

namespace fhir837 {

// Count-based fault injection for the crash tests (as Beast's fail_count): with
// FHIR837_TEST_CRASH_AT=<step>:<n> in the environment, the n-th time the process reaches
// crashPoint(<step>) it kills itself with SIGKILL, so a test kills a run exactly at one step of
// writing instead of after a guessed delay. Without the variable (every real run) it does
// nothing. Steps: owner-locked, reserved, temp-written, renamed, confirmed, inbox-journaled,
// inbox-reason-written.
void crashPoint(std::string_view step);

}  // namespace fhir837
