#pragma once

#include <filesystem>

#include "core/result.h"
#include "engine/config/app_config.h"

namespace fhir837 {

// Reads fhir837.toml and every payer profile in its payers directory. Unknown keys, wrong types
// and missing required values are errors naming the key path (e.g. "interchange.sender_id"), so a
// typo stops start-up instead of silently using a default.
Result<AppConfig> loadConfig(const std::filesystem::path& file);

// The config file used when --config is not given: $FHIR837_CONFIG, else ./config/fhir837.toml,
// else the one in the source tree the binary was built from.
std::filesystem::path defaultConfigPath();

}  // namespace fhir837
