#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace fhir837::app {

struct ConvertArgs {
  std::string config;
  std::string stateDir;
  std::string outputDir;
  std::string form;
  std::vector<std::string> inputs;
};

void addConvertCommand(CLI::App& app, ConvertArgs& args);
int runSelected(CLI::App& app, const ConvertArgs& convertArgs);

}  // namespace fhir837::app
