#include <gtest/gtest.h>

#include "fhir_tree/model_binder.h"
#include "unit/binder/tree_builder.h"

namespace fhir837 {
namespace {

using namespace fhir837::testing;

struct ErrorCase {
  std::string label;
  FhirNode root;
  Error expected;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.label; }

class BinderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(BinderErrorTest, ReportsCodePathAndReason) {
  const ErrorCase& c = GetParam();
  Result<AnyResource> bound = bindResource(c.root, "f.json");
  ASSERT_FALSE(bound.has_value()) << c.label;
  EXPECT_EQ(bound.error(), c.expected) << c.label << ": " << bound.error().describe();
}

FhirNode bundleWith(FhirNode resource) {
  return res(
      "Bundle",
      {{"entry",
        {obj({{"resource", {res("Patient", {})}}}), obj({{"resource", {std::move(resource)}}})}}});
}

Error err(ErrorCode code, std::string message, std::string where) {
  return makeError(code, std::move(message), "f.json: " + where);
}

const std::string kBadDate = "not a valid FHIR date/dateTime/instant: ";

INSTANTIATE_TEST_SUITE_P(
    Table, BinderErrorTest,
    ::testing::Values(
        ErrorCase{"bad date deep in a bundle",
                  bundleWith(res("MedicationAdministration",
                                 {{"effectivePeriod",
                                   {obj({{"start", {str("2023-02-29T10:00:00Z")}}})}}})),
                  err(ErrorCode::kInvalidValue, kBadDate + "no such calendar day",
                      "Bundle.entry[1].resource.effectivePeriod.start")},
        ErrorCase{"time without zone",
                  res("Procedure", {{"performedDateTime", {str("2023-02-01T10:00:00")}}}),
                  err(ErrorCode::kInvalidValue, kBadDate + "a time needs a zone (Z or +hh:mm)",
                      "Procedure.performedDateTime")},
        ErrorCase{"complex element given as a primitive",
                  res("Encounter", {{"class", {str("AMB")}}}),
                  err(ErrorCode::kWrongType,
                      "expected Coding (an element with children), found a JSON string",
                      "Encounter.class")},
        ErrorCase{"primitive given as an object",
                  res("MedicationAdministration", {{"status", {obj({{"code", {str("x")}}})}}}),
                  err(ErrorCode::kWrongType,
                      "expected a primitive string, found an element with children",
                      "MedicationAdministration.status")},
        ErrorCase{
            "number where a code belongs", res("Patient", {{"gender", {num("1")}}}),
            err(ErrorCode::kWrongType, "expected a string, found a JSON number", "Patient.gender")},
        ErrorCase{"boolean where a string belongs",
                  res("Organization", {{"name", {boolean(true)}}}),
                  err(ErrorCode::kWrongType, "expected a string, found a JSON boolean",
                      "Organization.name")},
        ErrorCase{"number inside a repeating coding",
                  res("Condition",
                      {{"code", {obj({{"coding", {obj({}), obj({{"code", {num("7")}}})}}})}}}),
                  err(ErrorCode::kWrongType, "expected a string, found a JSON number",
                      "Condition.code.coding[1].code")},
        ErrorCase{"integer given as a JSON string", res("Coverage", {{"order", {str("1")}}}),
                  err(ErrorCode::kWrongType, "expected an integer, found a JSON string",
                      "Coverage.order")},
        ErrorCase{"integer with a fraction", res("Coverage", {{"order", {num("1.5")}}}),
                  err(ErrorCode::kInvalidValue, "not a FHIR integer", "Coverage.order")},
        ErrorCase{"integer from XML text", res("Coverage", {{"order", {text("one")}}}),
                  err(ErrorCode::kInvalidValue, "not a FHIR integer", "Coverage.order")},
        ErrorCase{"rank given as a boolean",
                  res("Encounter", {{"diagnosis", {obj({{"rank", {boolean(true)}}})}}}),
                  err(ErrorCode::kWrongType, "expected an integer, found a JSON boolean",
                      "Encounter.diagnosis[0].rank")},
        ErrorCase{"resource where a datatype belongs",
                  res("Condition", {{"code", {res("Patient", {})}}}),
                  err(ErrorCode::kWrongType, "expected CodeableConcept, found a Patient resource",
                      "Condition.code")},
        ErrorCase{"datatype where a resource belongs",
                  res("Patient", {{"contained", {obj({{"id", {str("x")}}})}}}),
                  err(ErrorCode::kWrongType, "expected a resource (no resourceType found)",
                      "Patient.contained[0]")},
        ErrorCase{"two effective[x]",
                  res("MedicationAdministration",
                      {{"effectiveDateTime", {str("2020-01-01")}}, {"effectivePeriod", {obj({})}}}),
                  err(ErrorCode::kWrongType, "more than one effective[x] element",
                      "MedicationAdministration.effectivePeriod")},
        ErrorCase{"two medication[x]",
                  res("MedicationRequest", {{"medicationReference", {obj({})}},
                                            {"medicationCodeableConcept", {obj({})}}}),
                  err(ErrorCode::kWrongType, "more than one medication[x] element",
                      "MedicationRequest.medicationCodeableConcept")},
        ErrorCase{"two rate[x]",
                  res("MedicationAdministration",
                      {{"dosage", {obj({{"rateQuantity", {obj({})}}, {"rateRatio", {obj({})}}})}}}),
                  err(ErrorCode::kWrongType, "more than one rate[x] element",
                      "MedicationAdministration.dosage.rateRatio")},
        ErrorCase{"singular element repeated",
                  res("Patient", {{"gender", {str("male"), str("female")}}}),
                  err(ErrorCode::kWrongType, "element repeats 2 times but FHIR allows it once",
                      "Patient.gender")},
        ErrorCase{
            "birthDate with a time", res("Patient", {{"birthDate", {str("1974-12-25T10:00:00Z")}}}),
            err(ErrorCode::kInvalidValue, "a FHIR date must not have a time", "Patient.birthDate")},
        ErrorCase{"date given as a number", res("Patient", {{"birthDate", {num("1974")}}}),
                  err(ErrorCode::kWrongType, "expected a date/dateTime string, found a JSON number",
                      "Patient.birthDate")},
        ErrorCase{"decimal given as a string",
                  res("MedicationAdministration",
                      {{"dosage", {obj({{"dose", {obj({{"value", {str("5")}}})}}})}}}),
                  err(ErrorCode::kWrongType, "expected a decimal, found a JSON string",
                      "MedicationAdministration.dosage.dose.value")},
        ErrorCase{"decimal lexeme invalid in XML",
                  res("Medication",
                      {{"amount", {obj({{"numerator", {obj({{"value", {text("1,5")}}})}}})}}}),
                  err(ErrorCode::kInvalidValue, "not a FHIR decimal",
                      "Medication.amount.numerator.value")},
        ErrorCase{"boolean lexeme invalid in XML",
                  res("Medication", {{"ingredient", {obj({{"isActive", {text("yes")}}})}}}),
                  err(ErrorCode::kInvalidValue, "a boolean must be true or false",
                      "Medication.ingredient[0].isActive")},
        ErrorCase{
            "extension with two value[x]",
            res("Patient",
                {{"extension", {obj({{"valueString", {str("a")}}, {"valueCode", {str("b")}}})}}}),
            err(ErrorCode::kWrongType, "more than one value[x] element",
                "Patient.extension[0].valueCode")},
        ErrorCase{"extension valueInteger given as a string",
                  res("Patient", {{"extension",
                                   {obj({{"extension", {obj({{"valueInteger", {str("3")}}})}}})}}}),
                  err(ErrorCode::kWrongType, "expected an integer, found a JSON string",
                      "Patient.extension[0].extension[0].valueInteger")},
        ErrorCase{"extension valueCoding given as a primitive",
                  res("Device", {{"extension", {obj({{"valueCoding", {str("x")}}})}}}),
                  err(ErrorCode::kWrongType,
                      "expected Coding (an element with children), found a JSON string",
                      "Device.extension[0].valueCoding")},
        ErrorCase{"Bundle.entry.request given as a primitive",
                  res("Bundle", {{"entry", {obj({{"request", {str("POST")}}})}}}),
                  err(ErrorCode::kWrongType,
                      "expected Bundle.entry.request (an element with children), found a JSON "
                      "string",
                      "Bundle.entry[0].request")},
        ErrorCase{"performedRange given as a primitive",
                  res("Procedure", {{"performedRange", {str("1-2")}}}),
                  err(ErrorCode::kWrongType,
                      "expected Range (an element with children), found a JSON string",
                      "Procedure.performedRange")},
        ErrorCase{"unknown resource keeps id checks", res("Observation", {{"id", {num("5")}}}),
                  err(ErrorCode::kWrongType, "expected a string, found a JSON number",
                      "Observation.id")}));

TEST(BinderErrorTest, RootWithoutResourceTypeNamesOnlyTheSource) {
  Result<AnyResource> bound = bindResource(obj({{"id", {str("x")}}}), "f.json");
  ASSERT_FALSE(bound.has_value());
  EXPECT_EQ(bound.error(), makeError(ErrorCode::kWrongType,
                                     "expected a resource (no resourceType found)", "f.json"));
}

}  // namespace
}  // namespace fhir837
