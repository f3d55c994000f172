#pragma once

#include <memory>
#include <string>

#include "coding_types.h"
#include "engine/clock.h"
#include "engine/config/app_config.h"
#include "engine/config/table_loader.h"

namespace fhir837::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;
inline constexpr int kExitUsage = 2;

// What every pipeline command loads at start-up: config, tables and the clock. Config errors stop
// start-up with exit 2.
struct AppContext {
  AppConfig config;
  LoadedTables tables;
  std::unique_ptr<Clock> clock;
  CodingTables codingTables() const { return codingTablesOf(tables); }
};

// Loads everything, or prints the error and returns nullptr.
std::unique_ptr<AppContext> loadAppContext(const std::string& configPath);

int printError(const Error& error);

}  // namespace fhir837::app
