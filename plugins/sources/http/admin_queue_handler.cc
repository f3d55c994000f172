#include "sources/http/admin_queue_handler.h"

#include <rapidjson/document.h>

#include "engine/serve/queue_json.h"
#include "sources/http/rest_documents.h"

namespace fhir837::http {

namespace {

constexpr const char* kJson = "application/json";

HttpResponse outcome(int status, const std::string& code, const std::string& diagnostics) {
  return HttpResponse{status,
                      {{"Content-Type", contentTypeOf(serve::BodyFormat::kJson)}},
                      renderJson(operationOutcome({OutcomeIssue{"error", code, diagnostics, {}}}))};
}

HttpResponse json(int status, std::string body) {
  return HttpResponse{status, {{"Content-Type", kJson}}, std::move(body)};
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// nullopt: a malformed escape.
std::optional<std::string> percentDecoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]), low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool queryFlag(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    if (query.compare(start, end - start, name + "=true") == 0) return true;
    start = end + 1;
  }
  return false;
}

// Who acted, for the record: the verified client certificate, else the bearer token's label,
// else the peer address.
std::string clientOf(const HttpRequest& request) {
  if (!request.clientSubject.empty()) return "http:" + request.clientSubject;
  if (!request.tokenLabel.empty()) return "http:token:" + request.tokenLabel;
  return "http:" + (request.remote.empty() ? std::string("unknown") : request.remote);
}

HttpResponse failure(const Error& error) {
  switch (error.code) {
    case ErrorCode::kUnresolvedReference:
      return outcome(404, "not-found", error.where + ": " + error.message);
    case ErrorCode::kInvalidValue:
      return outcome(409, "conflict", error.where + ": " + error.message);
    case ErrorCode::kMissingElement:
      return outcome(400, "required", error.message);
    default:
      return outcome(503, "transient", error.message);
  }
}

class AdminQueueHandler final : public RequestHandler {
 public:
  AdminQueueHandler(serve::QueueService& queue, const Clock& clock, std::string prefix)
      : queue_(queue), clock_(clock), prefix_(std::move(prefix)) {}

  void handle(HttpRequest request, Respond respond) override { respond(answer(request)); }

 private:
  HttpResponse answer(const HttpRequest& request) {
    const std::size_t mark = request.target.find('?');
    const std::string path = request.target.substr(0, mark);
    const std::string query = mark == std::string::npos ? "" : request.target.substr(mark + 1);
    if (path.rfind(prefix_, 0) != 0 ||
        (path.size() > prefix_.size() && path[prefix_.size()] != '/')) {
      return outcome(404, "not-found", "no such endpoint: the queue is at " + prefix_);
    }
    std::string rest = path.size() > prefix_.size() + 1 ? path.substr(prefix_.size() + 1) : "";
    const std::int64_t now = clock_.nowEpochSeconds();
    if (rest.empty()) {
      if (request.method != "GET") return notAllowed(request, "GET");
      auto items = queue_.list(queryFlag(query, "all"));
      if (!items) return failure(items.error());
      return json(200, serve::queueListJson(*items, now) + "\n");
    }
    std::string verb;
    for (const char* candidate : {"/retry", "/drop"}) {
      const std::string suffix = candidate;
      if (rest.size() > suffix.size() &&
          rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0) {
        verb = suffix.substr(1);
        rest.resize(rest.size() - suffix.size());
        break;
      }
    }
    auto id = percentDecoded(rest);
    if (!id) return outcome(400, "invalid", "malformed percent-encoding in the item id");
    if (verb.empty()) {
      if (request.method != "GET") return notAllowed(request, "GET");
      auto item = queue_.show(*id, queryFlag(query, "body"));
      if (!item) return failure(item.error());
      if (!*item) {
        return outcome(404, "not-found",
                       *id + ": no such item in the queue (billed, or never there)");
      }
      return json(200, serve::queueItemJson(**item, now, true) + "\n");
    }
    if (request.method != "POST") return notAllowed(request, "POST");
    Result<serve::QueueAction> action = makeError(ErrorCode::kIo, "");
    if (verb == "retry") {
      action = queue_.retry(*id, clientOf(request));
    } else {
      auto reason = reasonOf(request.body);
      if (!reason) return outcome(400, "required", reason.error().message);
      action = queue_.drop(*id, *reason, clientOf(request));
    }
    if (!action) return failure(action.error());
    return json(action->state == "pending" ? 202 : 200, serve::queueActionJson(*action) + "\n");
  }

  static HttpResponse notAllowed(const HttpRequest& request, const char* allowed) {
    HttpResponse response =
        outcome(405, "not-supported", request.method + " is not allowed here: use " + allowed);
    response.headers.emplace_back("Allow", allowed);
    return response;
  }

  // {"reason": "..."}: a non-empty string, at most 1000 characters.
  static Result<std::string> reasonOf(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    if (document.HasParseError() || !document.IsObject()) {
      return makeError(ErrorCode::kSyntax, "the body must be a JSON object {\"reason\": \"...\"}");
    }
    auto found = document.FindMember("reason");
    if (found == document.MemberEnd() || !found->value.IsString() ||
        found->value.GetStringLength() == 0) {
      return makeError(ErrorCode::kMissingElement, "a drop needs a reason: {\"reason\": \"...\"}");
    }
    if (found->value.GetStringLength() > 1000) {
      return makeError(ErrorCode::kLimitExceeded, "the reason is longer than 1000 characters");
    }
    return std::string(found->value.GetString(), found->value.GetStringLength());
  }

  serve::QueueService& queue_;
  const Clock& clock_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<RequestHandler> makeAdminQueueHandler(serve::QueueService& queue,
                                                      const Clock& clock, std::string prefix) {
  return std::make_unique<AdminQueueHandler>(queue, clock, std::move(prefix));
}

}  // namespace fhir837::http
