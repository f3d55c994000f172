#include "app/app_context.h"

#include <cstdlib>
#include <iostream>

#include "engine/config/config_loader.h"

namespace fhir837::app {

int printError(const Error& error) {
  std::cerr << "fhir837: " << error.describe() << "\n";
  return kExitUsage;
}

namespace {
// SOURCE_DATE_EPOCH (reproducible-builds.org) pins every timestamp the emitter writes.
Result<std::unique_ptr<Clock>> makeClock() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) return std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  char* end = nullptr;
  long long value = std::strtoll(epoch, &end, 10);
  if (*end != '\0' || value < 0) {
    return makeError(ErrorCode::kConfig, "must be a non-negative integer", "SOURCE_DATE_EPOCH");
  }
  return std::unique_ptr<Clock>(std::make_unique<FixedClock>(value));
}
}  // namespace

std::unique_ptr<AppContext> loadAppContext(const std::string& configPath) {
  auto config =
      loadConfig(configPath.empty() ? defaultConfigPath() : std::filesystem::path(configPath));
  if (!config) {
    printError(config.error());
    return nullptr;
  }
  auto tables = loadTables(*config);
  if (!tables) {
    printError(tables.error());
    return nullptr;
  }
  auto clock = makeClock();
  if (!clock) {
    printError(clock.error());
    return nullptr;
  }
  auto context = std::make_unique<AppContext>();
  context->config = std::move(*config);
  context->tables = std::move(*tables);
  context->clock = std::move(*clock);
  return context;
}

}  // namespace fhir837::app
