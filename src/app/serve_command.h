#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace fhir837::app {

struct ServeArgs {
  std::string config;
  std::string stateDir;
  std::string listen;
  std::string outbox;
};

void addServeCommand(CLI::App& app, ServeArgs& args);
int runServe(const ServeArgs& args);

}  // namespace fhir837::app
