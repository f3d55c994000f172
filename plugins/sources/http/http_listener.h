#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "sources/http/fhir_http_types.h"
#include "sources/http/tls_context.h"

namespace fhir837::http {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                  // 0: a free port
  unsigned ioThreads = 0;                  // 0: the core count
  std::size_t maxBodyBytes = 16u << 20;    // larger bodies get 413 before they are read
  std::size_t maxHeaderBytes = 64u << 10;  // larger request headers get 431
  // The whole request (header and body) must arrive within it, timed from its first byte (from
  // the accept, or the handshake, for a connection's first request): else 408, then close.
  std::chrono::milliseconds requestTimeout{30'000};
  // A keep-alive connection with no request started is closed after it (no answer).
  std::chrono::milliseconds idleTimeout{60'000};
  std::chrono::milliseconds handshakeTimeout{10'000};  // TLS only: then closed
  // Connections beyond it get 503 (OperationOutcome "throttled", Retry-After) and are closed.
  std::size_t maxConnections = 1024;
  TlsOptions tls;  // no certificate: plain HTTP
};

// The HTTP/1.1 listener (Boost.Beast on Asio), over TLS when options.tls has a certificate:
// keep-alive, pipelining-safe, a request body over maxBodyBytes answered 413 by the handler's
// OperationOutcome rules, and the time and connection limits above. stop() stops accepting,
// lets in-flight requests finish (their responses are sent), then returns.
class Listener {
 public:
  virtual ~Listener() = default;
  // Binds and starts the I/O threads; TLS files that are unusable are kConfig errors.
  virtual Status start() = 0;
  virtual std::uint16_t port() const = 0;  // the bound port (after start)
  virtual std::string host() const = 0;
  virtual bool tls() const = 0;
  virtual void stop() = 0;  // graceful drain
};

std::unique_ptr<Listener> makeHttpListener(const ListenerOptions& options, RequestHandler& handler);

}  // namespace fhir837::http
