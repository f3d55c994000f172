#pragma once

#include <string>
#include <vector>

#include "engine/serve/billing_service.h"
#include "engine/serve/journal.h"
#include "sources/http/fhir_out.h"

namespace fhir837::http {

struct OutcomeIssue {
  std::string severity = "error";
  std::string code;
  std::string diagnostics;
  std::vector<std::string> expression;
};

OutNode operationOutcome(const std::vector<OutcomeIssue>& issues);
// What the running server offers beyond create/update/read: the statement lists exactly that.
struct ServedFeatures {
  bool billing = false;  // GET .../$billing
  bool bundles = false;  // transaction, batch, $process-message
};
OutNode capabilityStatement(const std::vector<std::string>& types, const std::string& base,
                            ServedFeatures features = {});
// GET .../{id}/$billing: one Parameters parameter per set field.
OutNode billingParameters(const serve::EventBillingStatus& status);

// "201 Created", "412 Precondition Failed"...
std::string statusLine(int status);
// FHIR instant -> RFC 7231 IMF-fixdate for Last-Modified; the input when unreadable.
std::string httpDate(const std::string& instant);

}  // namespace fhir837::http
