#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "engine/config/serve_settings.h"
#include "engine/serve/journal.h"
#include "sources/http/access_log.h"
#include "sources/http/bearer_auth.h"
#include "sources/http/ops_metrics.h"
#include "sources/http/ops_router.h"

namespace fhir837::app {

// What `serve` puts in front of the FHIR handler: tokens, metrics (the journal's and billing's
// telemetry), the access log, the draining flag and the router. Made before the journal opens
// (it reports into the metrics).
struct ServeOps {
  std::optional<http::TokenSet> tokens;
  http::OpsMetrics metrics;
  http::JsonAccessLog accessLog{&metrics};
  std::atomic<bool> draining{false};
  std::unique_ptr<http::OpsRouter> router;
};

// Loads `[serve] tokens`; without tokens, refuses a non-loopback `host` unless
// allow_unauthenticated (an open PHI endpoint on a hospital network is never an accident).
Result<std::unique_ptr<ServeOps>> prepareServeOps(const ServeSettings& settings,
                                                  const std::string& host);
// The router over `fhir`, with the readiness checks of `journal` and `outbox`.
http::RequestHandler& routeServeOps(ServeOps& ops, http::RequestHandler& fhir,
                                    serve::Journal& journal, const std::filesystem::path& outbox,
                                    std::vector<http::ReadinessCheck> more = {});

}  // namespace fhir837::app
