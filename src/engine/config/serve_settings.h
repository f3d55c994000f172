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
  // Retention (issue 11): journal bodies of settled encounters quiet for this long are pruned
  // (ids, hashes and the ledger stay). Unset: kept forever.
  std::optional<std::chrono::seconds> keepJournalFor;
  std::chrono::seconds pruneEvery{3600};  // how often pruning runs (and once at start)

  bool operator==(const ServeSettings&) const = default;  // SIGHUP: did [serve] change?
};

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
