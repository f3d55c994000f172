#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/serve/billing_service.h"
#include "engine/serve/journal.h"
#include "engine/serve/resource_intake.h"
#include "fhir_tree/fhir_node.h"
#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

struct RestOptions {
  std::size_t maxBodyBytes = 16u << 20;  // [serve] max_body: 413 over it
  ParseLimits limits;
  std::size_t maxBundleEntries = 10000;  // entries of one Bundle: 413 over it
  std::string base = "/fhir";
};

// The FHIR R4 REST layer over the journal and billing: routing (POST/PUT/GET per type, POST /fhir
// Bundles, $process-message, metadata, $billing), content negotiation (415/406), conditional
// create/update, Prefer, OperationOutcomes for every refusal and the dead letter for every refused
// body. Thread-safe. `billing` may be null (journal only): $billing then answers 404.
std::unique_ptr<RequestHandler> makeFhirRestHandler(const RestOptions& options,
                                                    serve::Journal& journal,
                                                    serve::BillingService* billing);

// What the handler asks of the intake: serve::analyseBody / supportedResourceTypes /
// isSupportedType by default (fhir_rest_default_intake.cc); tests give their own.
struct IntakeProvider {
  std::function<serve::Intake(std::string_view body, serve::BodyFormat format,
                              std::string_view pathType, std::string_view pathId,
                              const ParseLimits& limits, const serve::BundleOptions& bundle)>
      analyse;
  std::function<const std::vector<std::string>&()> supportedTypes;
};
IntakeProvider defaultIntakeProvider();

// One access-log line per request; never bodies or PHI (access_log.h writes it).
struct RequestLogEntry {
  std::string method, route;  // route template: "/fhir/{type}/{id}"
  int status = 0;
  std::string type, id;
  std::string outcome;  // the OperationOutcome issue code of a refusal ("not-found", "login")
  double latencyMs = 0;
  std::string remote;
  std::string requestId;      // X-Request-Id (the router's)
  std::string clientSubject;  // mTLS client certificate subject
  std::string tokenLabel;     // the label of the bearer token used
};
class RequestLogger {
 public:
  virtual ~RequestLogger() = default;
  virtual void log(const RequestLogEntry& entry) = 0;
};
// A JSON line per request on stderr (access_log.cc), without metrics.
RequestLogger& stderrRequestLogger();

std::unique_ptr<RequestHandler> makeFhirRestHandler(const RestOptions& options,
                                                    serve::Journal& journal,
                                                    serve::BillingService* billing,
                                                    IntakeProvider intake, RequestLogger& logger);

}  // namespace fhir837::http
