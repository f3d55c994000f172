#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fhir837::http {

// A request as the FHIR layer sees it: transport-neutral, so the TLS/auth checks of the
// operations issue can sit in front of it and tests can drive it without sockets.
struct HttpRequest {
  std::string method;  // "GET", "POST", "PUT", ...
  std::string target;  // path and query as sent: "/fhir/Patient/p1?_format=json"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;  // peer address, for the access log
  // The listener did not read the body: its Content-Length is over max_body (413).
  bool bodyNotRead = false;

  // The first header named `name` (lower-case), or empty.
  const std::string& header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type, Location, ETag...
  std::string body;
};

using Respond = std::function<void(HttpResponse)>;

// What serves requests. handle() may answer later (after the journal commits) from another
// thread; `respond` must be called exactly once.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void handle(HttpRequest request, Respond respond) = 0;
};

}  // namespace fhir837::http
