#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"
#include "engine/serve/billing_rules.h"
#include "engine/serve/billing_service.h"

namespace fhir837::app {

// Loads the configuration file and every table it names into new billing rules, or the first
// error (file and key); nothing is printed.
Result<serve::SharedBillingRules> loadBillingRules(const std::filesystem::path& configFile);

// SIGHUP: loads `configFile` again and hands the result to `billing`. A file that does not load
// keeps the current rules. Returns the JSON log line that says what happened (no PHI: paths,
// keys and counts only). `current` is updated to the rules in force.
std::string reloadBillingRules(const std::filesystem::path& configFile,
                               serve::SharedBillingRules& current, serve::BillingService& billing);

}  // namespace fhir837::app
