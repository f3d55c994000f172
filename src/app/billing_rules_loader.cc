#include "app/billing_rules_loader.h"

#include "core/json_string.h"
#include "engine/config/config_loader.h"

namespace fhir837::app {

Result<serve::SharedBillingRules> loadBillingRules(const std::filesystem::path& configFile) {
  auto config = loadConfig(configFile);
  if (!config) return config.error();
  auto tables = loadTables(*config);
  if (!tables) return tables.error();
  auto rules = std::make_shared<serve::BillingRules>();
  rules->config = std::move(*config);
  rules->tables = std::move(*tables);
  return serve::SharedBillingRules(std::move(rules));
}

std::string reloadBillingRules(const std::filesystem::path& configFile,
                               serve::SharedBillingRules& current, serve::BillingService& billing) {
  std::string line = R"({"level":"info","event":"config_reload","config":)";
  appendJsonString(line, configFile.string());
  auto fresh = loadBillingRules(configFile);
  if (!fresh) {
    line.replace(line.find("info"), 4, "error");
    line += R"(,"outcome":"kept_previous","error":)";
    appendJsonString(line, fresh.error().describe());
    return line + "}";
  }
  // The listener, the state dir and the billing timings were fixed at start: say so rather than
  // pretend they changed.
  const bool serveChanged = !((*fresh)->config.serve == current->config.serve);
  current = *fresh;
  billing.replaceRules(current);
  line += R"(,"outcome":"reloaded","payer_profiles":)" +
          std::to_string(current->config.payers.size()) + R"(,"billing_profiles":)" +
          std::to_string(current->config.billingProfiles.size());
  if (serveChanged) line += R"(,"note":"[serve] changes take effect at the next start")";
  return line + "}";
}

}  // namespace fhir837::app
