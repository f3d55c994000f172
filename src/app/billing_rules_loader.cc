#include "app/billing_rules_loader.h"

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

LogLine reloadBillingRules(const std::filesystem::path& configFile,
                           serve::SharedBillingRules& current, serve::BillingService& billing) {
  auto fresh = loadBillingRules(configFile);
  if (!fresh) {
    return LogLine("error", "config_reload")
        .str("config", configFile.string())
        .str("outcome", "kept_previous")
        .str("error", fresh.error().describe());
  }
  // The listener, the state dir and the billing timings were fixed at start: say so rather than
  // pretend they changed.
  const bool serveChanged = !((*fresh)->config.serve == current->config.serve);
  current = *fresh;
  billing.replaceRules(current);
  LogLine line("info", "config_reload");
  line.str("config", configFile.string())
      .str("outcome", "reloaded")
      .num("payer_profiles", static_cast<std::int64_t>(current->config.payers.size()))
      .num("billing_profiles", static_cast<std::int64_t>(current->config.billingProfiles.size()));
  if (serveChanged) line.str("note", "[serve] changes take effect at the next start");
  return line;
}

}  // namespace fhir837::app
