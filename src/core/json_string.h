#pragma once

#include <string>
#include <string_view>

namespace fhir837 {

// Appends `text` as a JSON string literal (quotes, backslash, control characters escaped). For
// hand-rendered JSON (OperationOutcomes, access-log lines, `validate --json`).
void appendJsonString(std::string& out, std::string_view text);

}  // namespace fhir837
