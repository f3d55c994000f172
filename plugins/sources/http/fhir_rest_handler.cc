#include "sources/http/fhir_rest_handler.h"
#include "engine/serve/journal_pruning.h"

#include "engine/serve/resource_intake_conditions.h"
#include "sources/http/bundle_responses.h"
#include "sources/http/fhir_rest_handler_impl.h"

namespace fhir837::http {

namespace rest_detail {

namespace {

Target parseTarget(const std::string& target, const std::string& base) {
  Target parsed;
  const std::size_t question = target.find('?');
  const std::string path = target.substr(0, question);
  if (question != std::string::npos) {
    const std::string query = target.substr(question + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
      const std::size_t end = std::min(query.find('&', start), query.size());
      const std::string pair = query.substr(start, end - start);
      if (pair.rfind("_format=", 0) == 0) parsed.formatParameter = pair.substr(8);
      start = end + 1;
    }
  }
  if (path != base && path.rfind(base + "/", 0) != 0) return parsed;
  parsed.underBase = true;
  std::size_t start = base.size() + 1;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) parsed.segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parsed;
}

}  // namespace

void FhirRestHandler::handle(HttpRequest request, Respond respond) {
  auto call = std::make_shared<Call>();
  call->started = Clock::now();
  call->respond = std::move(respond);
  call->request = std::move(request);
  call->log.method = call->request.method;
  call->log.remote = call->request.remote;
  call->log.requestId = call->request.requestId;
  call->log.clientSubject = call->request.clientSubject;
  call->log.tokenLabel = call->request.tokenLabel;
  const Target target = parseTarget(call->request.target, options_.base);
  const auto requestFormat = formatOfContentType(call->request.header("content-type"));
  auto chosen = chooseFormat(target.formatParameter, call->request.header("accept"),
                             requestFormat.value_or(serve::BodyFormat::kJson));
  if (!chosen) {
    call->log.route = "(any)";
    call->format = serve::BodyFormat::kJson;
    refuse(call, 406, "not-supported",
           "cannot answer in the format asked for (Accept / _format): this server speaks "
           "application/fhir+json and application/fhir+xml");
    return;
  }
  call->format = *chosen;
  const auto& s = target.segments;
  const std::string& method = call->request.method;
  if (!target.underBase) {
    call->log.route = "(unknown)";
    return refuse(call, 404, "not-found", "no such endpoint: the FHIR base is " + options_.base);
  }
  if (call->request.bodyNotRead) {
    call->log.route = "(any)";
    return refuse(call, 413, "too-long",
                  "request body over max_body (" + std::to_string(options_.maxBodyBytes) +
                      " bytes): not read");
  }
  if (method == "GET" && s.size() == 1 && s[0] == "metadata") {
    call->log.route = options_.base + "/metadata";
    return finish(call,
                  HttpResponse{200,
                               {{"Content-Type", contentTypeOf(call->format)}},
                               render(capabilityStatement(intake_.supportedTypes(), options_.base,
                                                          {billing_ != nullptr, true}),
                                      call->format)});
  }
  if (method == "GET" && s.size() == 3 && s[2] == "$billing") return billing(call, target);
  if (method == "GET" && s.size() == 2) return read(call, target);
  if (method == "POST" && s.size() == 1 && s[0] == "$process-message") {
    return write(call, target, true);
  }
  if ((method == "POST" && s.size() == 1) || (method == "PUT" && s.size() == 2)) {
    return write(call, target, false);
  }
  if (method == "POST" && s.empty()) return write(call, target, false);
  call->log.route = "(unknown)";
  refuse(call, 404, "not-supported", method + " " + call->request.target + " is not supported");
}

void FhirRestHandler::read(const CallPtr& call, const Target& target) {
  call->log.route = options_.base + "/{type}/{id}";
  call->log.type = target.segments[0];
  call->log.id = target.segments[1];
  auto stored = journal_.current(target.segments[0], target.segments[1]);
  if (!stored) {
    return finish(call,
                  outcomeResponse(503, "transient", stored.error().message, "", call->format));
  }
  if (!*stored) {
    return finish(
        call, outcomeResponse(404, "not-found",
                              target.segments[0] + "/" + target.segments[1] + " is not known here",
                              "", call->format));
  }
  const serve::StoredResource& resource = **stored;
  if (serve::isPruned(resource)) {
    // Retention kept the id and hash (duplicates are still recognised) but not the content.
    return finish(call, outcomeResponse(410, "deleted",
                                        target.segments[0] + "/" + target.segments[1] +
                                            " version " + std::to_string(resource.versionId) +
                                            ": its content was pruned by [serve] keep_journal_for",
                                        "", call->format));
  }
  if (!accepts(target.formatParameter, call->request.header("accept"), resource.format)) {
    return finish(call,
                  outcomeResponse(
                      406, "not-supported",
                      "the resource is stored as " +
                          std::string(resource.format == serve::BodyFormat::kXml ? "XML" : "JSON") +
                          " and served as stored",
                      "", call->format));
  }
  finish(call, HttpResponse{200,
                            {{"Content-Type", contentTypeOf(resource.format)},
                             {"ETag", "W/\"" + std::to_string(resource.versionId) + "\""},
                             {"Last-Modified", httpDate(resource.lastUpdated)}},
                            resource.body});
}

void FhirRestHandler::billing(const CallPtr& call, const Target& target) {
  call->log.route = options_.base + "/{type}/{id}/$billing";
  call->log.type = target.segments[0];
  call->log.id = target.segments[1];
  const std::string& type = target.segments[0];
  if (type != "MedicationAdministration" && type != "Procedure") {
    return refuse(call, 404, "not-supported",
                  "$billing is defined for MedicationAdministration "
                  "and Procedure only");
  }
  if (!billing_) {
    return refuse(call, 404, "not-supported", "billing is not running in this server");
  }
  auto status = billing_->statusOf(type + "/" + target.segments[1]);
  if (!status) {
    return finish(call,
                  outcomeResponse(503, "transient", status.error().message, "", call->format));
  }
  if (!*status) {
    return finish(call, outcomeResponse(404, "not-found",
                                        type + "/" + target.segments[1] + " is not known here", "",
                                        call->format));
  }
  finish(call, HttpResponse{200,
                            {{"Content-Type", contentTypeOf(call->format)}},
                            render(billingParameters(**status), call->format)});
}

void FhirRestHandler::write(const CallPtr& call, const Target& target, bool processMessage) {
  const bool isPut = call->request.method == "PUT";
  const std::string type = target.segments.empty() || processMessage ? "" : target.segments[0];
  const std::string id = isPut ? target.segments[1] : "";
  call->log.route = options_.base + (processMessage ? "/$process-message"
                                     : type.empty() ? ""
                                     : isPut        ? "/{type}/{id}"
                                                    : "/{type}");
  call->log.type = type;
  call->log.id = id;
  const auto bodyFormat = formatOfContentType(call->request.header("content-type"));
  if (!bodyFormat) {
    return refuse(call, 415, "not-supported",
                  "Content-Type '" + call->request.header("content-type") +
                      "' cannot be read: send application/fhir+json or application/fhir+xml");
  }
  if (!type.empty()) {
    const auto& types = intake_.supportedTypes();
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      return refuse(call, 404, "not-supported", "resource type " + type + " is not supported",
                    type);
    }
  }
  if (call->request.body.size() > options_.maxBodyBytes) {
    return refuse(
        call, 413, "too-long",
        "request body over max_body (" + std::to_string(options_.maxBodyBytes) + " bytes)");
  }
  serve::Intake intake =
      intake_.analyse(call->request.body, *bodyFormat, type, id, options_.limits, bundleOptions());
  if (intake.problem) {
    return refuse(call, intake.problem->httpStatus, intake.problem->issueCode,
                  intake.problem->diagnostics, intake.problem->expression);
  }
  if (intake.bundle) return bundle(call, std::move(*intake.bundle), processMessage);
  if (!intake.resource) {
    return refuse(call, 500, "exception", "the intake gave neither a resource nor a Bundle");
  }
  if (processMessage) {
    return refuse(call, 400, "invalid", "$process-message takes a message Bundle",
                  intake.resource->type);
  }
  serve::ResourceWrite resource = std::move(*intake.resource);
  call->log.type = resource.type;
  call->log.id = resource.id;
  resource.createOnly = !isPut;
  if (const std::string& match = call->request.header("if-match"); !match.empty()) {
    resource.ifMatch = serve::versionOfETag(match);
    if (!resource.ifMatch) {
      return refuse(call, 400, "value", "If-Match must be a version ETag such as W/\"3\"");
    }
  }
  if (const std::string& search = call->request.header("if-none-exist"); !search.empty()) {
    resource.ifNoneExist = serve::identifierSearch(search, resource.type);
    if (!resource.ifNoneExist) {
      return refuse(call, 400, "not-supported",
                    "If-None-Exist supports identifier=system|value searches only");
    }
  }
  serve::WriteBatch batch;
  batch.writes.push_back(resource);
  auto written = std::make_shared<serve::ResourceWrite>(std::move(resource));
  journal_.submit(std::move(batch), [this, call, written](Result<serve::BatchResult> result) {
    if (!result) {
      // Not journaled: the client must send it again (503 transient), and the body is kept.
      return refuse(call, 503, "transient",
                    "the journal could not store the resource: " + result.error().message);
    }
    answerWrite(call, *written, result->results.front());
  });
}

void FhirRestHandler::answerWrite(const CallPtr& call, const serve::ResourceWrite& write,
                                  const serve::WriteResult& result) {
  using serve::WriteKind;
  if (result.kind == WriteKind::kConflict) {
    return refuse(call, 409, "conflict", result.detail + ": update it with PUT",
                  write.type + ".id");
  }
  if (result.kind == WriteKind::kPreconditionFailed) {
    return refuse(call, 412, "processing", result.detail);
  }
  notifyBilling({result});
  const int status = result.kind == WriteKind::kCreated ? 201 : 200;
  const std::string vid = std::to_string(result.versionId);
  HttpResponse response;
  response.status = status;
  response.headers = {
      {"Location", options_.base + "/" + result.type + "/" + result.id + "/_history/" + vid},
      {"ETag", "W/\"" + vid + "\""},
      {"Last-Modified", httpDate(result.lastUpdated)}};
  const std::string& prefer = call->request.header("prefer");
  if (prefer.find("return=minimal") != std::string::npos) return finish(call, std::move(response));
  const bool sameFormat = write.format == call->format;
  if (prefer.find("return=OperationOutcome") != std::string::npos || !sameFormat ||
      result.kind == WriteKind::kExisting) {
    HttpResponse outcome = outcomeResponse(status, "informational", writeSummary(result), "",
                                           call->format, "information");
    outcome.headers.insert(outcome.headers.end(), response.headers.begin(), response.headers.end());
    return finish(call, std::move(outcome));
  }
  // return=representation (the default): the resource as stored.
  response.headers.emplace_back("Content-Type", contentTypeOf(write.format));
  response.body = write.body;
  finish(call, std::move(response));
}

// Once per committed request that created or changed something: the billing side looks again.
void FhirRestHandler::notifyBilling(const std::vector<serve::WriteResult>& results) {
  if (!billing_) return;
  for (const serve::WriteResult& result : results) {
    if (result.kind == serve::WriteKind::kCreated || result.kind == serve::WriteKind::kUpdated) {
      billing_->notify();
      return;
    }
  }
}

}  // namespace rest_detail

using rest_detail::FhirRestHandler;

std::unique_ptr<RequestHandler> makeFhirRestHandler(const RestOptions& options,
                                                    serve::Journal& journal,
                                                    serve::BillingService* billing,
                                                    IntakeProvider intake, RequestLogger& logger) {
  return std::make_unique<FhirRestHandler>(options, journal, billing, std::move(intake), logger);
}

}  // namespace fhir837::http
