#include "app/serve_ops.h"

#include "sources/http/ops_readiness.h"

namespace fhir837::app {

Result<std::unique_ptr<ServeOps>> prepareServeOps(const ServeSettings& settings,
                                                  const std::string& host) {
  auto ops = std::make_unique<ServeOps>();
  if (!settings.tokens.empty()) {
    auto tokens = http::TokenSet::load(settings.tokens);
    if (!tokens) return tokens.error();
    ops->tokens = std::move(*tokens);
  } else if (!isLoopbackHost(host) && !settings.allowUnauthenticated) {
    return makeError(ErrorCode::kConfig,
                     "refusing to listen on " + host +
                         " without authentication: set [serve] tokens (a file made with "
                         "`fhir837 token new`), or allow_unauthenticated = true if something in "
                         "front of fhir837 authenticates",
                     "serve.tokens");
  }
  return ops;
}

http::RequestHandler& routeServeOps(ServeOps& ops, http::RequestHandler& fhir,
                                    serve::Journal& journal, const std::filesystem::path& outbox,
                                    std::vector<http::ReadinessCheck> more) {
  http::OpsOptions options;
  options.tokens = ops.tokens ? &*ops.tokens : nullptr;
  options.readiness = {http::storeCheck(journal), http::outboxCheck(outbox),
                       http::drainingCheck(ops.draining)};
  for (auto& check : more) options.readiness.push_back(std::move(check));
  options.metrics = [&ops] { return ops.metrics.render(); };
  options.accessLog = &ops.accessLog;
  ops.router = std::make_unique<http::OpsRouter>(std::move(options), fhir);
  return *ops.router;
}

}  // namespace fhir837::app
