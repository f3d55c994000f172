#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/commands.h"

// fhir837: FHIR R4 drug administrations -> X12 837 claims. Exit codes: 0 everything became a claim
// or was rightly not billable, 1 some input or event was rejected or needs review, 2 usage or
// configuration error.
int main(int argc, char** argv) {
  CLI::App app{"fhir837: FHIR R4 infusion events to X12 5010 837 claims"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "fhir837 0.1.0");
  fhir837::app::ConvertArgs convertArgs;
  fhir837::app::addConvertCommand(app, convertArgs);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return fhir837::app::runSelected(app, convertArgs);
}
