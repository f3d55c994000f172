#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "app/serve_command.h"
#include "core/result.h"
#include "engine/config/app_config.h"
#include "engine/serve/billing_service.h"
#include "sources/http/fhir_rest_handler.h"
#include "sources/http/http_listener.h"
#include "sources/inbox/inbox.h"

namespace fhir837::app {

// Where `serve` listens and keeps its state: `[serve]` with the command-line flags over it.
struct ServePlace {
  std::string host;
  std::uint16_t port = 0;
  std::filesystem::path stateDir;
  std::filesystem::path outbox;
};
Result<ServePlace> servePlaceOf(const ServeArgs& args, const AppConfig& config);

// The options of each part of the daemon, from `[serve]`.
serve::BillingPolicy billingPolicyOf(const ServeSettings& settings, const ServePlace& place);
http::RestOptions restOptionsOf(const ServeSettings& settings);
http::ListenerOptions listenerOptionsOf(const ServeSettings& settings, const ServePlace& place);
inbox::InboxOptions inboxOptionsOf(const ServeSettings& settings, const http::RestOptions& rest);

}  // namespace fhir837::app
