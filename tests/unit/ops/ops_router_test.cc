#include "sources/http/ops_router.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>

#include "core/json_log.h"
#include "sources/http/access_log.h"

namespace fhir837::http {
namespace {

std::string lineFor(const std::string& token, const std::string& scopes, const std::string& label) {
  return "sha256:" + toHex(sha256(token)) + " " + scopes + " " + label + "\n";
}

// Answers 200 "<name> <method> <target> token=<label>", and records what it was asked.
class FakeHandler : public RequestHandler {
 public:
  explicit FakeHandler(std::string name) : name_(std::move(name)) {}
  void handle(HttpRequest request, Respond respond) override {
    ++handled;
    lastRequestId = request.requestId;
    respond(HttpResponse{
        200,
        {{"Content-Type", "text/plain"}},
        name_ + " " + request.method + " " + request.target + " token=" + request.tokenLabel});
  }
  std::optional<HttpResponse> screenHeader(const HttpRequest& header) override {
    ++screened;
    if (header.target.ends_with("/refuse-early")) return HttpResponse{413, {}, name_ + " refuses"};
    return std::nullopt;
  }
  int handled = 0, screened = 0;
  std::string lastRequestId;

 private:
  std::string name_;
};

class CapturingLog : public RequestLogger {
 public:
  void log(const RequestLogEntry& entry) override { entries.push_back(entry); }
  std::vector<RequestLogEntry> entries;
};

class OpsRouterTest : public ::testing::Test {
 protected:
  OpsRouterTest() {
    tokens_ = *TokenSet::parse(lineFor("writer", "fhir:write,fhir:read", "engine-A") +
                                   lineFor("reader", "fhir:read", "viewer") +
                                   lineFor("scraper", "metrics", "prometheus") +
                                   lineFor("operator", "admin", "ops"),
                               "tokens");
  }
  std::unique_ptr<OpsRouter> makeRouter(bool withTokens) {
    OpsOptions options;
    options.tokens = withTokens ? &tokens_ : nullptr;
    options.readiness = {{"store", [] { return std::optional<std::string>(); }},
                         {"outbox", [this] {
                            return outboxBroken_ ? std::optional<std::string>("read-only")
                                                 : std::optional<std::string>();
                          }}};
    options.metrics = [] { return std::string("# metrics\n"); };
    options.accessLog = &log_;
    auto router = std::make_unique<OpsRouter>(std::move(options), fhir_);
    router->mountAdmin("/admin/queue", admin_);
    return router;
  }
  static HttpRequest request(const std::string& method, const std::string& target,
                             const std::string& token = {}) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
    return r;
  }
  // The full request path as the listener drives it: screen, then handle if not refused.
  HttpResponse send(OpsRouter& router, HttpRequest r) {
    if (auto refused = router.screenHeader(r)) return *refused;
    std::optional<HttpResponse> answer;
    router.handle(std::move(r), [&](HttpResponse response) { answer = std::move(response); });
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(HttpResponse{});
  }
  static std::string header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return {};
  }

  TokenSet tokens_;
  FakeHandler fhir_{"fhir"};
  FakeHandler admin_{"admin"};
  CapturingLog log_;
  bool outboxBroken_ = false;
};

TEST_F(OpsRouterTest, ScopeOfEachRoute) {
  auto router = makeRouter(true);
  EXPECT_EQ(router->requiredScope("GET", "/healthz"), std::nullopt);
  EXPECT_EQ(router->requiredScope("GET", "/readyz"), std::nullopt);
  EXPECT_EQ(router->requiredScope("GET", "/metrics"), Scope::kMetrics);
  EXPECT_EQ(router->requiredScope("GET", "/admin/queue"), Scope::kAdmin);
  EXPECT_EQ(router->requiredScope("POST", "/admin/queue/retry?id=3"), Scope::kAdmin);
  EXPECT_EQ(router->requiredScope("GET", "/admin/queuex"), Scope::kFhirRead);
  EXPECT_EQ(router->requiredScope("GET", "/fhir/Patient/p1"), Scope::kFhirRead);
  EXPECT_EQ(router->requiredScope("GET", "/fhir/metadata"), Scope::kFhirRead);
  EXPECT_EQ(router->requiredScope("GET", "/fhir/MedicationAdministration/m1/$billing"),
            Scope::kFhirRead);
  EXPECT_EQ(router->requiredScope("POST", "/fhir/Patient"), Scope::kFhirWrite);
  EXPECT_EQ(router->requiredScope("PUT", "/fhir/Patient/p1"), Scope::kFhirWrite);
  EXPECT_EQ(router->requiredScope("POST", "/fhir/$process-message"), Scope::kFhirWrite);
}

TEST_F(OpsRouterTest, RefusesFromTheHeadersWithoutCallingTheFhirHandler) {
  auto router = makeRouter(true);
  auto refused = router->screenHeader(request("POST", "/fhir/Patient"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(header(*refused, "WWW-Authenticate"), "Bearer realm=\"fhir837\"");
  EXPECT_EQ(header(*refused, "X-Request-Id").size(), 24u);
  EXPECT_EQ(fhir_.screened, 0);
  EXPECT_EQ(fhir_.handled, 0);
  ASSERT_EQ(log_.entries.size(), 1u);
  EXPECT_EQ(log_.entries[0].status, 401);
  EXPECT_EQ(log_.entries[0].outcome, "login");
  EXPECT_EQ(log_.entries[0].route, "(fhir)");
  EXPECT_EQ(log_.entries[0].requestId, header(*refused, "X-Request-Id"));

  auto wrongToken = router->screenHeader(request("GET", "/fhir/Patient/p1", "nope"));
  ASSERT_TRUE(wrongToken);
  EXPECT_EQ(wrongToken->status, 401);
  EXPECT_EQ(header(*wrongToken, "WWW-Authenticate"),
            "Bearer realm=\"fhir837\", error=\"invalid_token\"");
  auto forbidden = router->screenHeader(request("POST", "/fhir/Patient", "reader"));
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(log_.entries.back().outcome, "forbidden");
  EXPECT_EQ(log_.entries.back().tokenLabel, "viewer");
  EXPECT_EQ(fhir_.handled + fhir_.screened, 0);
}

TEST_F(OpsRouterTest, HandleChecksTooWhenCalledWithoutScreening) {
  auto router = makeRouter(true);
  std::optional<HttpResponse> answer;
  router->handle(request("POST", "/fhir/Patient", "scraper"),
                 [&](HttpResponse r) { answer = std::move(r); });
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403);
  EXPECT_EQ(fhir_.handled, 0);
}

TEST_F(OpsRouterTest, AValidTokenWithTheScopeReachesTheFhirHandlerWithItsLabel) {
  auto router = makeRouter(true);
  HttpRequest r = request("POST", "/fhir/Patient", "writer");
  r.headers.emplace_back("x-request-id", "engine-42.a_b:c");
  const HttpResponse response = send(*router, r);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "fhir POST /fhir/Patient token=engine-A");
  EXPECT_EQ(header(response, "X-Request-Id"), "engine-42.a_b:c");
  EXPECT_EQ(fhir_.lastRequestId, "engine-42.a_b:c");
  EXPECT_EQ(fhir_.screened, 1);  // its own screen runs once authentication passed
  EXPECT_EQ(send(*router, request("GET", "/fhir/Patient/p1", "reader")).status, 200);
}

TEST_F(OpsRouterTest, UnsafeRequestIdsAreReplaced) {
  EXPECT_EQ(requestIdFor("abc-1"), "abc-1");
  EXPECT_EQ(requestIdFor(std::string(64, 'a')), std::string(64, 'a'));
  for (const std::string& unsafe :
       {std::string(65, 'a'), std::string("a b"), std::string("x\"}"), std::string()}) {
    const std::string id = requestIdFor(unsafe);
    EXPECT_EQ(id.size(), 24u) << unsafe;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  }
  EXPECT_NE(requestIdFor(""), requestIdFor(""));
}

TEST_F(OpsRouterTest, HealthzAndReadyzAreOpen) {
  auto router = makeRouter(true);
  const HttpResponse health = send(*router, request("GET", "/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "{\"status\":\"up\"}");
  EXPECT_EQ(header(health, "Content-Type"), "application/json");
  const HttpResponse ready = send(*router, request("GET", "/readyz"));
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "{\"status\":\"ready\",\"checks\":{\"store\":\"ok\",\"outbox\":\"ok\"}}");
  outboxBroken_ = true;
  const HttpResponse notReady = send(*router, request("GET", "/readyz"));
  EXPECT_EQ(notReady.status, 503);
  EXPECT_EQ(notReady.body,
            "{\"status\":\"not-ready\",\"checks\":{\"store\":\"ok\",\"outbox\":\"failed\"}}");
  EXPECT_EQ(send(*router, request("POST", "/healthz")).status, 405);
  EXPECT_EQ(log_.entries.back().route, "/healthz");
  EXPECT_EQ(fhir_.handled, 0);
}

TEST_F(OpsRouterTest, MetricsNeedTheMetricsScope) {
  auto router = makeRouter(true);
  EXPECT_EQ(send(*router, request("GET", "/metrics")).status, 401);
  EXPECT_EQ(send(*router, request("GET", "/metrics", "writer")).status, 403);
  const HttpResponse metrics = send(*router, request("GET", "/metrics", "scraper"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(header(metrics, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body, "# metrics\n");
}

TEST_F(OpsRouterTest, AdminMountIsBehindTheAdminScopeAndGetsItsOwnScreen) {
  auto router = makeRouter(true);
  EXPECT_EQ(send(*router, request("GET", "/admin/queue")).status, 401);
  EXPECT_EQ(send(*router, request("GET", "/admin/queue", "writer")).status, 403);
  EXPECT_EQ(admin_.screened + admin_.handled, 0);
  const HttpResponse listed =
      send(*router, request("GET", "/admin/queue/list?kind=review", "operator"));
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body, "admin GET /admin/queue/list?kind=review token=ops");
  EXPECT_EQ(header(listed, "X-Request-Id").size(), 24u);
  EXPECT_EQ(log_.entries.back().route, "/admin/queue/*");
  EXPECT_EQ(log_.entries.back().tokenLabel, "ops");
  auto early = router->screenHeader(request("POST", "/admin/queue/refuse-early", "operator"));
  ASSERT_TRUE(early);
  EXPECT_EQ(early->body, "admin refuses");
  EXPECT_EQ(fhir_.handled + fhir_.screened, 0);
}

TEST_F(OpsRouterTest, WithoutTokensEverythingIsAllowed) {
  auto router = makeRouter(false);
  EXPECT_EQ(send(*router, request("POST", "/fhir/Patient")).status, 200);
  EXPECT_EQ(send(*router, request("GET", "/metrics")).status, 200);
  EXPECT_EQ(send(*router, request("GET", "/admin/queue")).status, 200);
}

TEST_F(OpsRouterTest, TheListenersOwnRefusalsAreLoggedWithARequestId) {
  auto router = makeRouter(true);
  HttpRequest seen = request("POST", "/fhir/Patient?x=1");
  seen.headers.emplace_back("x-request-id", "engine-7");
  seen.remote = "10.0.0.5";
  HttpResponse answer =
      router->listenerAnswered(seen, HttpResponse{413, {}, "too big"}, "too-long");
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(answer.body, "too big");
  EXPECT_EQ(header(answer, "X-Request-Id"), "engine-7");
  HttpRequest unread;  // refused before its request line was complete
  unread.remote = "10.0.0.6";
  router->listenerAnswered(unread, HttpResponse{408, {}, "slow"}, "timeout");
  ASSERT_EQ(log_.entries.size(), 2u);
  EXPECT_EQ(
      (std::vector<std::string>{log_.entries[0].method, log_.entries[0].route,
                                std::to_string(log_.entries[0].status), log_.entries[0].outcome,
                                log_.entries[0].requestId, log_.entries[0].remote}),
      (std::vector<std::string>{"POST", "(fhir)", "413", "too-long", "engine-7", "10.0.0.5"}));
  EXPECT_EQ((std::vector<std::string>{log_.entries[1].method, log_.entries[1].route,
                                      std::to_string(log_.entries[1].status),
                                      log_.entries[1].outcome, log_.entries[1].remote}),
            (std::vector<std::string>{"", "(unread)", "408", "timeout", "10.0.0.6"}));
  EXPECT_FALSE(log_.entries[1].requestId.empty());  // generated
}

TEST(AccessLogTest, OneJsonLineWithoutBodiesOrQueries) {
  std::vector<std::string> lines;
  setLogSink([&](const std::string& line) { lines.push_back(line); });
  RequestLogEntry entry;
  entry.method = "POST";
  entry.route = "/fhir/{type}";
  entry.status = 404;
  entry.type = "Patient";
  entry.outcome = "not-supported";
  entry.latencyMs = 1.25;
  entry.remote = "127.0.0.1";
  entry.requestId = "r1";
  entry.clientSubject = "CN=engine,O=Hospital";
  entry.tokenLabel = "engine-A";
  JsonAccessLog log;
  log.log(entry);
  setLogSink({});
  ASSERT_EQ(lines.size(), 1u);
  const std::string& line = lines[0];
  ASSERT_TRUE(line.starts_with("{\"time\":\"")) << line;
  EXPECT_EQ(line.substr(line.find("\",\"level\"")),
            "\",\"level\":\"warn\",\"event\":\"request\",\"request_id\":\"r1\",\"method\":\"POST\","
            "\"route\":\"/fhir/{type}\",\"status\":404,\"type\":\"Patient\",\"outcome\":\"not-"
            "supported\",\"latency_ms\":1.250,\"remote\":\"127.0.0.1\",\"client_subject\":\"CN="
            "engine,O=Hospital\",\"token\":\"engine-A\"}\n");
}

TEST(RepeatLimiterTest, FirstThenACountAMinute) {
  using namespace std::chrono;
  RepeatLimiter limiter;
  const RepeatLimiter::Clock::time_point t0{};
  auto first = limiter.failed("disk full", t0 + seconds(1));
  EXPECT_TRUE(first.log);
  EXPECT_EQ(first.repeats, 0u);
  for (int s = 2; s < 61; ++s) EXPECT_FALSE(limiter.failed("disk full", t0 + seconds(s)).log);
  auto minute = limiter.failed("disk full", t0 + seconds(61));
  EXPECT_TRUE(minute.log);
  EXPECT_EQ(minute.repeats, 60u);
  EXPECT_FALSE(limiter.failed("disk full", t0 + seconds(62)).log);
  EXPECT_TRUE(limiter.failed("another error", t0 + seconds(63)).log);
  EXPECT_FALSE(limiter.failed("another error", t0 + seconds(64)).log);
  EXPECT_TRUE(limiter.failing());
  EXPECT_EQ(limiter.recovered(), 1u);
  EXPECT_FALSE(limiter.failing());
  EXPECT_TRUE(limiter.failed("another error", t0 + seconds(65)).log);
}

}  // namespace
}  // namespace fhir837::http
