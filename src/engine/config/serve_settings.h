#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fhir837 {

class TomlReader;

// The `[serve]` section: how `fhir837 serve` listens and when it bills. Command-line flags
// override it.
struct ServeSettings {
  std::string listenHost = "127.0.0.1";
  std::uint16_t listenPort = 8080;
  std::filesystem::path stateDir;  // empty: engine.state_dir
  std::filesystem::path outbox;    // empty: <state dir>/outbox
  unsigned ioThreads = 0;          // 0: the core count
  std::size_t maxBodyBytes = 16u << 20;
  std::chrono::seconds billAfter{3600};        // quiet time after which an open encounter bills
  std::chrono::seconds pendingTimeout{86400};  // waiting for missing data -> needs review
  std::chrono::seconds interchangeEvery{0};    // ready claims wait this long for company
  std::filesystem::path inbox;                 // file-drop directory; empty: none
  std::chrono::seconds inboxSettle{2};         // a file written in place is complete after this
  std::chrono::seconds inboxRescan{10};        // inbox listing interval besides inotify
  // TLS and the limits hostile clients meet (see docs/architecture.md "TLS and limits").
  std::filesystem::path tlsCert;              // PEM; with tlsKey, the listener speaks only HTTPS
  std::filesystem::path tlsKey;               // PEM private key matching tlsCert
  std::filesystem::path tlsClientCa;          // PEM CA bundle: when set, clients need a certificate
  std::size_t maxHeaderBytes = 64u << 10;     // larger request headers get 431
  std::chrono::seconds requestTimeout{30};    // header and body must arrive within it: 408
  std::chrono::seconds idleTimeout{60};       // an idle keep-alive connection is closed
  std::chrono::seconds handshakeTimeout{10};  // a TLS handshake must finish within it
  std::size_t maxConnections = 1024;          // over it: 503 throttled, Retry-After
  // Authentication (ops_router.h): the bearer-token file (hashes, scopes, labels); empty: no
  // authentication, allowed only on a loopback address unless allowUnauthenticated.
  std::filesystem::path tokens;
  bool allowUnauthenticated = false;
  // Retention (issue 11): journal bodies of settled encounters quiet for this long are pruned
  // (ids, hashes and the ledger stay). Unset: kept forever.
  std::optional<std::chrono::seconds> keepJournalFor;
  std::chrono::seconds pruneEvery{3600};  // how often pruning runs (and once at start)

  bool operator==(const ServeSettings&) const = default;  // SIGHUP: did [serve] change?
};

// 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool isLoopbackHost(std::string_view host);

// "HOST:PORT" ("127.0.0.1:0", "[::1]:8080", ":8080" for every address); nullopt if malformed.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
std::optional<ListenAddress> parseListenAddress(std::string_view text);

// "90", "90s", "15m", "2h", "1d" -> seconds; nullopt if malformed or negative.
std::optional<std::chrono::seconds> parseDuration(std::string_view text);

// "16MiB", "512KiB", "1048576" -> bytes; nullopt if malformed.
std::optional<std::size_t> parseByteSize(std::string_view text);

// Reads `[serve]` (paths resolved against `base`); errors go to the reader's list.
ServeSettings readServeSettings(TomlReader serve, const std::filesystem::path& base);

}  // namespace fhir837
