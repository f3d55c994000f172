#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace fhir837::app {

struct ValidateArgs {
  std::vector<std::string> inputs;
  bool json = false;
  std::size_t maxFindings = 1000;  // per file; the rest are counted, not listed
};

// `fhir837 validate FILE...`: streaming 837P/837I implementation-guide check. Exit 0 all files
// valid, 1 some file invalid, 2 some file unreadable (missing, or no ISA at all).
void addValidateCommand(CLI::App& app, ValidateArgs& args);
int runValidate(const ValidateArgs& args);

}  // namespace fhir837::app
