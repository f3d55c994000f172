#pragma once

#include <memory>

#include "engine/serve/billing_service.h"
#include "engine/serve/journal.h"
#include "fhir_tree/fhir_node.h"
#include "sources/http/fhir_http_types.h"

namespace fhir837::http {

struct RestOptions {
  std::size_t maxBodyBytes = 16u << 20;  // [serve] max_body: 413 over it
  ParseLimits limits;
  std::string base = "/fhir";
};

// The FHIR R4 REST layer over the journal and billing: routing (POST/PUT/GET per type, POST /fhir
// Bundles, $process-message, metadata, $billing), content negotiation (415/406), conditional
// create/update, Prefer, OperationOutcomes for every refusal and the dead letter for every refused
// body. Thread-safe.
std::unique_ptr<RequestHandler> makeFhirRestHandler(const RestOptions& options,
                                                    serve::Journal& journal,
                                                    serve::BillingService& billing);

}  // namespace fhir837::http
