#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/serve/resource_intake.h"

namespace fhir837::serve {
namespace {

TEST(SupportedTypesTest, ExactlyTheTypesThePipelineResolves) {
  EXPECT_EQ(supportedResourceTypes(),
            (std::vector<std::string>{
                "MedicationAdministration", "Procedure", "Patient", "Coverage", "Encounter",
                "Practitioner", "PractitionerRole", "Organization", "Location", "Condition",
                "Medication", "MedicationRequest", "Device", "Claim", "ExplanationOfBenefit"}));
  for (const std::string& type : supportedResourceTypes()) EXPECT_TRUE(isSupportedType(type));
}

TEST(SupportedTypesTest, OthersAreNotSupported) {
  // Bundles go to POST /fhir, never /fhir/Bundle; names are case-sensitive as in FHIR.
  for (const char* type : {"Bundle", "Observation", "patient", "PATIENT", "", "Patient ",
                           "MessageHeader", "OperationOutcome"}) {
    EXPECT_FALSE(isSupportedType(type)) << type;
  }
}

}  // namespace
}  // namespace fhir837::serve
