#pragma once

// The REST handler's class, shared by its two source files: fhir_rest_handler.cc (routing,
// single resources, reads, $billing) and fhir_rest_bundles.cc (POST /fhir with a Bundle,
// $process-message). Not part of the handler's interface.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sources/http/content_negotiation.h"
#include "sources/http/fhir_out.h"
#include "sources/http/fhir_rest_handler.h"
#include "sources/http/rest_documents.h"

namespace fhir837::http::rest_detail {

using Clock = std::chrono::steady_clock;

struct Target {
  std::vector<std::string> segments;  // after the base: {"Patient", "p1"}
  std::string formatParameter;        // _format
  bool underBase = false;
};

class FhirRestHandler final : public RequestHandler {
 public:
  FhirRestHandler(RestOptions options, serve::Journal& journal, serve::BillingService* billing,
                  IntakeProvider intake, RequestLogger& logger)
      : options_(std::move(options)),
        journal_(journal),
        billing_(billing),
        intake_(std::move(intake)),
        logger_(logger) {}

  void handle(HttpRequest request, Respond respond) override;

 private:
  struct Call {
    HttpRequest request;
    Respond respond;
    Clock::time_point started;
    RequestLogEntry log;
    serve::BodyFormat format = serve::BodyFormat::kJson;  // of the response
  };
  using CallPtr = std::shared_ptr<Call>;
  using BundlePtr = std::shared_ptr<const serve::BundleIntake>;

  void finish(const CallPtr& call, HttpResponse response) {
    call->log.status = response.status;
    call->log.latencyMs =
        std::chrono::duration<double, std::milli>(Clock::now() - call->started).count();
    logger_.log(call->log);
    call->respond(std::move(response));
  }
  HttpResponse outcomeResponse(int status, const std::string& code, const std::string& diagnostics,
                               const std::string& expression, serve::BodyFormat format,
                               const std::string& severity = "error") {
    OutcomeIssue issue{severity, code, diagnostics, {}};
    if (!expression.empty()) issue.expression.push_back(expression);
    return HttpResponse{status,
                        {{"Content-Type", contentTypeOf(format)}},
                        render(operationOutcome({issue}), format)};
  }
  HttpResponse documentResponse(int status, const OutNode& document, serve::BodyFormat format) {
    return HttpResponse{
        status, {{"Content-Type", contentTypeOf(format)}}, render(document, format)};
  }
  // Every refused body is kept (dead letter) before the refusal leaves.
  void refuse(const CallPtr& call, int status, const std::string& code,
              const std::string& diagnostics, const std::string& expression = {}) {
    call->log.outcome = code;
    serve::DeadLetter letter{status,
                             code,
                             diagnostics,
                             call->request.method,
                             call->request.target,
                             call->request.header("content-type"),
                             call->request.body};
    journal_.submitDeadLetter(
        std::move(letter), [this, call, status, code, diagnostics, expression](Status kept) {
          if (!kept) {
            finish(call, outcomeResponse(503, "transient",
                                         "the refused request could not be kept: " +
                                             kept.error().message + "; send it again",
                                         "", call->format));
            return;
          }
          finish(call, outcomeResponse(status, code, diagnostics, expression, call->format));
        });
  }
  void read(const CallPtr& call, const Target& target);
  void write(const CallPtr& call, const Target& target, bool processMessage);
  void billing(const CallPtr& call, const Target& target);
  void answerWrite(const CallPtr& call, const serve::ResourceWrite& write,
                   const serve::WriteResult& result);
  void notifyBilling(const std::vector<serve::WriteResult>& results);

  // fhir_rest_bundles.cc
  serve::BundleOptions bundleOptions();
  void bundle(const CallPtr& call, serve::BundleIntake bundle, bool processMessage);
  // All of `bundle` in one journal transaction; `answer` runs once it committed (billing
  // notified), with the entry index of each write. Journal failure: 503; a precondition: 409/412.
  using CommittedAnswer = std::function<void(const serve::BatchResult& result,
                                             const std::vector<std::size_t>& entryOf)>;
  void storeAllOrNothing(const CallPtr& call, const BundlePtr& bundle, CommittedAnswer answer);
  void transaction(const CallPtr& call, const BundlePtr& bundle);
  void batch(const CallPtr& call, const BundlePtr& bundle);
  void message(const CallPtr& call, const BundlePtr& bundle);
  void collection(const CallPtr& call, const BundlePtr& bundle);
  bool refuseFirstProblem(const CallPtr& call, const serve::BundleIntake& bundle);
  void refuseUncommitted(const CallPtr& call, const serve::BundleIntake& bundle,
                         const std::vector<std::size_t>& entryOf, const serve::BatchResult& result);
  // Keeps each letter (a refused entry) in the dead letter; `then` gets the indexes of those that
  // could not be kept.
  void keepLetters(std::vector<std::pair<std::size_t, serve::DeadLetter>> letters,
                   std::function<void(std::vector<std::size_t> notKept)> then);

  RestOptions options_;
  serve::Journal& journal_;
  serve::BillingService* billing_;
  IntakeProvider intake_;
  RequestLogger& logger_;
};

}  // namespace fhir837::http::rest_detail
