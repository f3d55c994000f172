#include <algorithm>

#include "engine/serve/resource_intake.h"

namespace fhir837::serve {

// The types the pipeline resolves (issue 10): the events, what they reference, and
// Claim/ExplanationOfBenefit for their contained Coverage.
const std::vector<std::string>& supportedResourceTypes() {
  static const std::vector<std::string> types = {"MedicationAdministration",
                                                 "Procedure",
                                                 "Patient",
                                                 "Coverage",
                                                 "Encounter",
                                                 "Practitioner",
                                                 "PractitionerRole",
                                                 "Organization",
                                                 "Location",
                                                 "Condition",
                                                 "Medication",
                                                 "MedicationRequest",
                                                 "Device",
                                                 "Claim",
                                                 "ExplanationOfBenefit"};
  return types;
}

bool isSupportedType(std::string_view type) {
  const auto& types = supportedResourceTypes();
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace fhir837::serve
