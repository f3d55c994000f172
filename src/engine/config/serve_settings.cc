#include "engine/config/serve_settings.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>

#include "engine/config/toml_reader.h"

namespace fhir837 {

namespace {

std::optional<std::uint64_t> parseNumber(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// A number with an optional unit suffix from `units` (suffix, multiplier).
template <std::size_t N>
std::optional<std::uint64_t> withUnit(
    std::string_view text, const std::pair<std::string_view, std::uint64_t> (&units)[N]) {
  for (const auto& [suffix, multiplier] : units) {
    if (text.size() > suffix.size() && text.ends_with(suffix)) {
      auto number = parseNumber(text.substr(0, text.size() - suffix.size()));
      if (!number || *number > UINT64_MAX / multiplier) return std::nullopt;
      return *number * multiplier;
    }
  }
  return parseNumber(text);
}

}  // namespace

std::optional<ListenAddress> parseListenAddress(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  auto port = parseNumber(text.substr(colon + 1));
  if (!port || *port > 65535) return std::nullopt;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.find_first_of(" /") != std::string_view::npos) return std::nullopt;
  return ListenAddress{host.empty() ? std::string("0.0.0.0") : std::string(host),
                       static_cast<std::uint16_t>(*port)};
}

std::optional<std::chrono::seconds> parseDuration(std::string_view text) {
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  auto seconds = withUnit(text, kUnits);
  // Ten years of seconds is far beyond any sensible policy and keeps chrono arithmetic in range.
  if (!seconds || *seconds > 10ull * 366 * 86400) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(*seconds));
}

std::optional<std::size_t> parseByteSize(std::string_view text) {
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}, {"B", 1}};
  auto bytes = withUnit(text, kUnits);
  if (!bytes || *bytes == 0 || *bytes > (4ull << 30)) return std::nullopt;
  return static_cast<std::size_t>(*bytes);
}

bool isLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  // Parsed, not matched by prefix: "127.example.org" is a name anyone may point anywhere.
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

ServeSettings readServeSettings(TomlReader serve, const std::filesystem::path& base) {
  ServeSettings settings;
  auto resolve = [&](const std::string& value) -> std::filesystem::path {
    if (value.empty()) return {};
    std::filesystem::path path(value);
    return path.is_absolute() ? path : (base / path).lexically_normal();
  };
  if (std::string listen = serve.string("listen"); !listen.empty()) {
    if (auto address = parseListenAddress(listen)) {
      settings.listenHost = address->host;
      settings.listenPort = address->port;
    } else {
      serve.fail("listen", "must be HOST:PORT, e.g. \"127.0.0.1:8080\"");
    }
  }
  settings.stateDir = resolve(serve.string("state_dir"));
  settings.outbox = resolve(serve.string("outbox"));
  const std::int64_t threads = serve.integer("io_threads", 0);
  if (threads < 0 || threads > 256) serve.fail("io_threads", "must be between 0 and 256");
  settings.ioThreads = static_cast<unsigned>(threads < 0 ? 0 : threads);
  if (std::string body = serve.string("max_body"); !body.empty()) {
    if (auto bytes = parseByteSize(body)) {
      settings.maxBodyBytes = *bytes;
    } else {
      serve.fail("max_body", "must be a size such as \"16MiB\" (1 B to 4 GiB)");
    }
  }
  // A duration may be written as seconds (bill_after = 0) or with a unit (bill_after = "15m").
  auto duration = [&](const char* key, std::chrono::seconds& target) {
    const toml::node* node = serve.raw(key);
    if (node && node->is_integer()) {
      const std::int64_t seconds = *node->value<std::int64_t>();
      if (seconds < 0) {
        serve.fail(key, "must not be negative");
      } else if (auto value = parseDuration(std::to_string(seconds))) {
        target = *value;
      } else {
        serve.fail(key, "is too long");
      }
      return;
    }
    std::string text = serve.string(key);
    if (text.empty()) return;
    if (auto value = parseDuration(text)) {
      target = *value;
    } else {
      serve.fail(key, "must be a duration such as \"90s\", \"15m\", \"2h\" or \"0\"");
    }
  };
  duration("bill_after", settings.billAfter);
  duration("pending_timeout", settings.pendingTimeout);
  duration("interchange_every", settings.interchangeEvery);
  settings.inbox = resolve(serve.string("inbox"));
  duration("inbox_settle", settings.inboxSettle);
  duration("inbox_rescan", settings.inboxRescan);
  if (settings.inboxRescan.count() == 0) serve.fail("inbox_rescan", "must be at least 1s");
  settings.tlsCert = resolve(serve.string("tls_cert"));
  settings.tlsKey = resolve(serve.string("tls_key"));
  settings.tlsClientCa = resolve(serve.string("tls_client_ca"));
  if (settings.tlsCert.empty() != settings.tlsKey.empty()) {
    // Names the one missing.
    if (settings.tlsKey.empty()) serve.fail("tls_key", "must be set when tls_cert is");
    if (settings.tlsCert.empty()) serve.fail("tls_cert", "must be set when tls_key is");
  } else if (!settings.tlsClientCa.empty() && settings.tlsCert.empty()) {
    serve.fail("tls_client_ca", "needs tls_cert and tls_key (mutual TLS is TLS)");
  }
  if (std::string header = serve.string("max_header"); !header.empty()) {
    auto bytes = parseByteSize(header);
    if (bytes && *bytes >= 1024 && *bytes <= (1u << 20)) {
      settings.maxHeaderBytes = *bytes;
    } else {
      serve.fail("max_header", "must be a size such as \"64KiB\" (1 KiB to 1 MiB)");
    }
  }
  // A zero timeout would drop every connection: these must be positive.
  for (auto [key, target] : {std::pair{"request_timeout", &settings.requestTimeout},
                             std::pair{"idle_timeout", &settings.idleTimeout},
                             std::pair{"handshake_timeout", &settings.handshakeTimeout}}) {
    duration(key, *target);
    if (target->count() == 0) serve.fail(key, "must be at least 1s");
  }
  const std::int64_t connections = serve.integer("max_connections", 1024);
  if (connections < 1 || connections > 1000000) {
    serve.fail("max_connections", "must be between 1 and 1000000");
  }
  settings.maxConnections = static_cast<std::size_t>(connections < 1 ? 1 : connections);
  settings.tokens = resolve(serve.string("tokens"));
  settings.allowUnauthenticated = serve.boolean("allow_unauthenticated", false);
  if (serve.raw("keep_journal_for")) {
    std::chrono::seconds keep{0};
    duration("keep_journal_for", keep);
    settings.keepJournalFor = keep;
  }
  duration("prune_every", settings.pruneEvery);
  if (settings.pruneEvery.count() == 0) serve.fail("prune_every", "must be at least 1s");
  serve.checkUnknownKeys();
  return settings;
}

}  // namespace fhir837
