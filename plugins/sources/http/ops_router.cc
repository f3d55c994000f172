#include "sources/http/ops_router.h"

#include <openssl/rand.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "core/json_log.h"
#include "core/json_string.h"

namespace fhir837::http {

namespace {

using Clock = std::chrono::steady_clock;

std::string pathOf(const std::string& target) { return target.substr(0, target.find('?')); }

bool isSafeId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

HttpResponse jsonResponse(int status, std::string body) {
  return HttpResponse{status, {{"Content-Type", "application/json"}}, std::move(body)};
}

double millisSince(Clock::time_point started) {
  return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

}  // namespace

std::string requestIdFor(const std::string& offered) {
  if (isSafeId(offered)) return offered;
  unsigned char bytes[12];
  static std::atomic<std::uint64_t> fallback{0};
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Uniqueness, not secrecy, is what an id needs.
    return "req-" + std::to_string(fallback.fetch_add(1));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char byte : bytes) {
    id += kHex[byte >> 4];
    id += kHex[byte & 15];
  }
  return id;
}

OpsRouter::OpsRouter(OpsOptions options, RequestHandler& fhir)
    : options_(std::move(options)), fhir_(fhir) {}

void OpsRouter::mountAdmin(std::string prefix, RequestHandler& handler) {
  mounts_.push_back(Mount{std::move(prefix), &handler});
}

const OpsRouter::Mount* OpsRouter::mountOf(const std::string& path) const {
  for (const Mount& mount : mounts_) {
    if (path == mount.prefix || path.starts_with(mount.prefix + "/")) return &mount;
  }
  return nullptr;
}

std::optional<Scope> OpsRouter::requiredScope(const std::string& method,
                                              const std::string& target) const {
  const std::string path = pathOf(target);
  if (path == "/healthz" || path == "/readyz") return std::nullopt;
  if (path == "/metrics") return Scope::kMetrics;
  if (mountOf(path)) return Scope::kAdmin;
  return method == "GET" || method == "HEAD" ? Scope::kFhirRead : Scope::kFhirWrite;
}

std::optional<HttpResponse> OpsRouter::checkAccess(const HttpRequest& request,
                                                   std::string& label) const {
  if (!options_.tokens) return std::nullopt;
  const std::optional<Scope> scope = requiredScope(request.method, request.target);
  if (!scope) return std::nullopt;
  const AuthDecision decision = authorize(*options_.tokens, request, *scope);
  label = decision.label;
  if (decision.kind == AuthDecision::Kind::kAllowed) return std::nullopt;
  return authRefusal(decision, *scope);
}

// The route template a request is counted and logged under when the router answers it.
std::string OpsRouter::routeOf(const std::string& path) const {
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") return path;
  if (path.empty()) return "(unread)";  // the listener refused it before its request line was read
  if (const Mount* mount = mountOf(path)) return mount->prefix + "/*";
  return "(fhir)";
}

HttpResponse OpsRouter::logged(const HttpRequest& request, HttpResponse response,
                               const std::string& outcome, double latencyMs) const {
  response.headers.emplace_back("X-Request-Id", request.requestId);
  if (options_.accessLog) {
    RequestLogEntry entry;
    entry.method = request.method;
    entry.route = routeOf(pathOf(request.target));
    entry.status = response.status;
    entry.outcome = outcome;
    entry.latencyMs = latencyMs;
    entry.remote = request.remote;
    entry.requestId = request.requestId;
    entry.clientSubject = request.clientSubject;
    entry.tokenLabel = request.tokenLabel;
    options_.accessLog->log(entry);
  }
  return response;
}

std::optional<HttpResponse> OpsRouter::screenHeader(const HttpRequest& header) {
  const Clock::time_point started = Clock::now();
  std::string label;
  if (auto refusal = checkAccess(header, label)) {
    HttpRequest seen = header;
    seen.requestId = requestIdFor(header.header("x-request-id"));
    seen.tokenLabel = label;
    const std::string outcome = refusal->status == 401 ? "login" : "forbidden";
    return logged(seen, std::move(*refusal), outcome, millisSince(started));
  }
  const std::string path = pathOf(header.target);
  if (const Mount* mount = mountOf(path)) return mount->handler->screenHeader(header);
  if (routeOf(path) == "(fhir)") return fhir_.screenHeader(header);
  return std::nullopt;
}

HttpResponse OpsRouter::listenerAnswered(const HttpRequest& seen, HttpResponse answer,
                                         std::string_view issueCode) {
  HttpRequest request = seen;
  request.requestId = requestIdFor(seen.header("x-request-id"));
  return logged(request, std::move(answer), std::string(issueCode), 0.0);
}

void OpsRouter::handle(HttpRequest request, Respond respond) {
  const Clock::time_point started = Clock::now();
  request.requestId = requestIdFor(request.header("x-request-id"));
  std::string label;
  auto refusal = checkAccess(request, label);
  request.tokenLabel = label;
  if (refusal) {
    const std::string outcome = refusal->status == 401 ? "login" : "forbidden";
    return respond(logged(request, std::move(*refusal), outcome, millisSince(started)));
  }
  const std::string path = pathOf(request.target);
  const std::string route = routeOf(path);
  if (route == "(fhir)") {
    const std::string id = request.requestId;
    return fhir_.handle(std::move(request), [respond, id](HttpResponse response) {
      response.headers.emplace_back("X-Request-Id", id);
      respond(std::move(response));
    });
  }
  if (const Mount* mount = mountOf(path)) {
    // The mounted handler does not log: its answer is logged here, with the mount's route.
    auto seen = std::make_shared<HttpRequest>(request);
    seen->body.clear();
    return mount->handler->handle(
        std::move(request), [this, seen, respond, started](HttpResponse response) {
          respond(logged(*seen, std::move(response), "", millisSince(started)));
        });
  }
  if (request.method != "GET") {
    HttpResponse refused = jsonResponse(405, "{\"status\":\"method-not-allowed\"}");
    refused.headers.emplace_back("Allow", "GET");
    return respond(logged(request, std::move(refused), "not-supported", millisSince(started)));
  }
  HttpResponse response;
  if (path == "/healthz") {
    response = jsonResponse(200, "{\"status\":\"up\"}");
  } else if (path == "/readyz") {
    response = readiness();
  } else {
    response = HttpResponse{200,
                            {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}},
                            options_.metrics ? options_.metrics() : std::string()};
  }
  respond(logged(request, std::move(response), "", millisSince(started)));
}

HttpResponse OpsRouter::readiness() const {
  std::string checks;
  bool ready = true;
  for (const ReadinessCheck& check : options_.readiness) {
    const std::optional<std::string> failure = check.failure();
    if (!checks.empty()) checks += ',';
    appendJsonString(checks, check.name);
    checks += failure ? ":\"failed\"" : ":\"ok\"";
    if (!failure) continue;
    ready = false;
    writeLog(LogLine("warn", "not_ready").str("check", check.name).str("reason", *failure));
  }
  return jsonResponse(ready ? 200 : 503, std::string("{\"status\":\"") +
                                             (ready ? "ready" : "not-ready") + "\",\"checks\":{" +
                                             checks + "}}");
}

}  // namespace fhir837::http
