#include "app/serve_setup.h"

namespace fhir837::app {

Result<ServePlace> servePlaceOf(const ServeArgs& args, const AppConfig& config) {
  const ServeSettings& settings = config.serve;
  ServePlace place{settings.listenHost, settings.listenPort, {}, {}};
  if (!args.listen.empty()) {
    auto address = parseListenAddress(args.listen);
    if (!address) {
      return makeError(ErrorCode::kConfig, "must be HOST:PORT, e.g. 127.0.0.1:0",
                       "--listen " + args.listen);
    }
    place.host = address->host;
    place.port = address->port;
  }
  place.stateDir = !args.stateDir.empty()       ? std::filesystem::path(args.stateDir)
                   : !settings.stateDir.empty() ? settings.stateDir
                                                : config.stateDir;
  place.outbox = !args.outbox.empty()       ? std::filesystem::path(args.outbox)
                 : !settings.outbox.empty() ? settings.outbox
                                            : place.stateDir / "outbox";
  return place;
}

serve::BillingPolicy billingPolicyOf(const ServeSettings& settings, const ServePlace& place) {
  serve::BillingPolicy policy;
  policy.billAfter = settings.billAfter;
  policy.pendingTimeout = settings.pendingTimeout;
  policy.interchangeEvery = settings.interchangeEvery;
  policy.maxBodyBytes = settings.maxBodyBytes;
  policy.keepJournalFor = settings.keepJournalFor;
  policy.pruneEvery = settings.pruneEvery;
  policy.stateDir = place.stateDir;
  policy.outbox = place.outbox;
  return policy;
}

http::RestOptions restOptionsOf(const ServeSettings& settings) {
  http::RestOptions rest;
  rest.maxBodyBytes = settings.maxBodyBytes;
  rest.limits.maxBytes = settings.maxBodyBytes;
  return rest;
}

http::ListenerOptions listenerOptionsOf(const ServeSettings& settings, const ServePlace& place) {
  http::ListenerOptions listen;
  listen.host = place.host;
  listen.port = place.port;
  listen.ioThreads = settings.ioThreads;
  listen.maxBodyBytes = settings.maxBodyBytes;
  listen.maxHeaderBytes = settings.maxHeaderBytes;
  listen.requestTimeout = settings.requestTimeout;
  listen.idleTimeout = settings.idleTimeout;
  listen.handshakeTimeout = settings.handshakeTimeout;
  listen.maxConnections = settings.maxConnections;
  listen.tls = {settings.tlsCert, settings.tlsKey, settings.tlsClientCa};
  return listen;
}

inbox::InboxOptions inboxOptionsOf(const ServeSettings& settings, const http::RestOptions& rest) {
  inbox::InboxOptions options;
  options.dir = settings.inbox;
  options.settle = settings.inboxSettle;
  options.rescan = settings.inboxRescan;
  options.intake.limits = rest.limits;
  options.intake.maxBundleEntries = rest.maxBundleEntries;
  return options;
}

}  // namespace fhir837::app
