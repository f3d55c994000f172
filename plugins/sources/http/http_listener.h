#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                // 0: a free port
  unsigned ioThreads = 0;                // 0: the core count
  std::size_t maxBodyBytes = 16u << 20;  // larger bodies get 413 before they are read
  std::size_t maxHeaderBytes = 64u << 10;
};

// The HTTP/1.1 listener (Boost.Beast on Asio): keep-alive, pipelining-safe, a request body over
// maxBodyBytes answered 413 by the handler's OperationOutcome rules. stop() stops accepting,
// lets in-flight requests finish (their responses are sent), then returns.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual Status start() = 0;              // binds and starts the I/O threads
  virtual std::uint16_t port() const = 0;  // the bound port (after start)
  virtual std::string host() const = 0;
  virtual void stop() = 0;  // graceful drain
};

std::unique_ptr<Listener> makeHttpListener(const ListenerOptions& options, RequestHandler& handler);

}  // namespace fhir837::http
