// Kept apart from fhir_rest_handler.cc so that linking the handler with another IntakeProvider
// (tests) does not pull in the intake.
#include "engine/serve/resource_intake.h"
#include "sources/http/fhir_rest_handler.h"

namespace fhir837::http {

IntakeProvider defaultIntakeProvider() {
  IntakeProvider provider;
  provider.analyse = [](std::string_view body, serve::BodyFormat format, std::string_view pathType,
                        std::string_view pathId, const ParseLimits& limits,
                        const serve::BundleOptions& bundle) {
    return serve::analyseBody(body, format, pathType, pathId, limits, bundle);
  };
  provider.supportedTypes = []() -> const std::vector<std::string>& {
    return serve::supportedResourceTypes();
  };
  return provider;
}

std::unique_ptr<RequestHandler> makeFhirRestHandler(const RestOptions& options,
                                                    serve::Journal& journal,
                                                    serve::BillingService* billing) {
  return makeFhirRestHandler(options, journal, billing, defaultIntakeProvider(),
                             stderrRequestLogger());
}

}  // namespace fhir837::http
