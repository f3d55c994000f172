#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/http/bearer_auth.h"
#include "sources/http/fhir_http_types.h"
#include "sources/http/fhir_rest_handler.h"

namespace fhir837::http {

// One condition of GET /readyz: nullopt when it holds, else why not (logged, not sent: the
// endpoint is open and the reasons name paths).
struct ReadinessCheck {
  std::string name;
  std::function<std::optional<std::string>()> failure;
};

struct OpsOptions {
  const TokenSet* tokens = nullptr;  // null: authentication off (every request allowed)
  std::vector<ReadinessCheck> readiness;
  std::function<std::string()> metrics;  // the exposition text of GET /metrics
  RequestLogger* accessLog = nullptr;    // the router's own answers (ops routes, refusals)
};

// In front of the FHIR handler: bearer-token authentication and scopes, checked from the headers
// before any body is read (screenHeader), the request id (X-Request-Id: the client's when it is a
// safe token of at most 64 characters, else a new one; echoed on every answer), the operations
// endpoints, and the admin mounts.
//   GET /healthz  open: the process is up.
//   GET /readyz   open (load balancers and orchestrators probe without credentials): 200 when every
//                 readiness check holds, else 503 naming the failed checks.
//   GET /metrics  scope metrics: Prometheus text format 0.0.4.
//   <mount>/...   scope admin: the mounted handler.
//   anything else the FHIR handler: GET/HEAD need fhir:read, other methods fhir:write.
class OpsRouter final : public RequestHandler {
 public:
  OpsRouter(OpsOptions options, RequestHandler& fhir);

  // `handler` answers every request under `prefix` ("/admin/queue": "/admin/queue" and
  // "/admin/queue/..."), behind the admin scope. Before the listener starts.
  void mountAdmin(std::string prefix, RequestHandler& handler);

  void handle(HttpRequest request, Respond respond) override;
  std::optional<HttpResponse> screenHeader(const HttpRequest& header) override;
  // Logged and counted like any answer, with the listener's issue code as its outcome.
  HttpResponse listenerAnswered(const HttpRequest& seen, HttpResponse answer,
                                std::string_view issueCode) override;

  // The scope a request needs; nullopt: none (the open endpoints).
  std::optional<Scope> requiredScope(const std::string& method, const std::string& target) const;

 private:
  struct Mount {
    std::string prefix;
    RequestHandler* handler;
  };
  const Mount* mountOf(const std::string& path) const;
  // A refusal when the request lacks the scope it needs; `label` gets the token's label.
  std::optional<HttpResponse> checkAccess(const HttpRequest& request, std::string& label) const;
  std::string routeOf(const std::string& path) const;
  // `response` with X-Request-Id, after its access-log line.
  HttpResponse logged(const HttpRequest& request, HttpResponse response, const std::string& outcome,
                      double latencyMs) const;
  HttpResponse readiness() const;

  OpsOptions options_;
  RequestHandler& fhir_;
  std::vector<Mount> mounts_;
};

// The request id to use: `offered` when it is 1 to 64 of A-Z a-z 0-9 . _ : -, else a new one.
std::string requestIdFor(const std::string& offered);

}  // namespace fhir837::http
