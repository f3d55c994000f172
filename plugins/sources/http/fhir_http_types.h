#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
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
  // Mutual TLS: the verified client certificate's subject (RFC 2253), for the audit log; empty
  // over plain HTTP or when no client certificate was asked for.
  std::string clientSubject;
  // The listener did not read the body: its Content-Length is over max_body (413).
  bool bodyNotRead = false;
  // Set by the operations router (ops_router.h) for the access log: the request's id (echoed as
  // X-Request-Id) and the label of the bearer token that authenticated it.
  std::string requestId;
  std::string tokenLabel;

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
  // Called with the request line and headers (empty body) before the body is read, so a request
  // that will be refused anyway (no credentials, wrong scope) costs no body read or parse. A
  // response here is sent as is and the connection closed; nullopt lets the request proceed.
  virtual std::optional<HttpResponse> screenHeader(const HttpRequest& /*headerOnly*/) {
    return std::nullopt;
  }
  // The listener answers some requests itself, without handing them over: malformed HTTP (400),
  // a header or declared body over its limit (431, 413), too slow (408), over max_connections
  // (503). `seen` is what was read (method and target empty when the header never completed),
  // `issueCode` the OperationOutcome's code. Returns the answer to send, so the access log, the
  // metrics and the request id see these refusals as they see every other one.
  virtual HttpResponse listenerAnswered(const HttpRequest& /*seen*/, HttpResponse answer,
                                        std::string_view /*issueCode*/) {
    return answer;
  }
};

}  // namespace fhir837::http
