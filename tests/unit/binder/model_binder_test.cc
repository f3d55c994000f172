#include "fhir_tree/model_binder.h"

#include <gtest/gtest.h>

#include "unit/binder/tree_builder.h"

namespace fhir837 {
namespace {

using namespace fhir837::testing;

FhirDateTime dt(std::string_view text) { return FhirDateTime::parse(text).value(); }

FhirNode coding(std::string system, std::string code) {
  return obj({{"system", {str(std::move(system))}}, {"code", {str(std::move(code))}}});
}
FhirNode codeable(std::string system, std::string code) {
  return obj({{"coding", {coding(std::move(system), std::move(code))}}});
}
FhirNode ref(std::string reference) { return obj({{"reference", {str(std::move(reference))}}}); }

CodeableConcept cc(std::string system, std::string code) {
  CodeableConcept out;
  out.coding.push_back(Coding{std::move(system), "", std::move(code), ""});
  return out;
}
Reference rf(std::string reference) {
  Reference out;
  out.reference = std::move(reference);
  return out;
}

TEST(ModelBinderTest, BindsPatientAndIgnoresUnknownElements) {
  FhirNode extensionOnlyGiven = obj({{"extension", {obj({{"url", {str("http://x/ext")}}})}}});
  FhirNode root =
      res("Patient",
          {{"id", {str("pat1")}},
           {"meta", {obj({{"versionId", {str("1")}}})}},
           {"identifier", {obj({{"system", {str("urn:oid:1.2")}}, {"value", {str("12345")}}})}},
           {"active", {boolean(true)}},
           {"name",
            {obj({{"family", {str("Chalmers")}},
                  {"given", {str("Peter"), str("James"), extensionOnlyGiven}}})}},
           {"gender", {str("male")}},
           {"birthDate", {str("1974-12")}},
           {"address", {obj({{"line", {str("534 Erewhon St")}}, {"postalCode", {str("3999")}}})}}});
  Result<AnyResource> bound = bindResource(root, "p.json");
  ASSERT_TRUE(bound.has_value()) << bound.error().describe();

  Patient expected;
  expected.id = "pat1";
  expected.identifier.push_back(Identifier{"", "urn:oid:1.2", "12345", {}});
  HumanName name;
  name.family = "Chalmers";
  name.given = {"Peter", "James", ""};
  expected.name.push_back(name);
  expected.gender = "male";
  expected.birthDate = dt("1974-12");
  Address address;
  address.line = {"534 Erewhon St"};
  address.postalCode = "3999";
  expected.address.push_back(address);
  ASSERT_NE(bound->as<Patient>(), nullptr);
  EXPECT_EQ(*bound->as<Patient>(), expected);
  EXPECT_EQ(bound->resourceType(), "Patient");
  EXPECT_EQ(bound->as<Patient>()->birthDate->precision, FhirDateTime::Precision::kMonth);
}

TEST(ModelBinderTest, BindsMedicationAdministrationWithChoicesAndContained) {
  FhirNode root = res(
      "MedicationAdministration",
      {{"id", {str("medadmin0301")}},
       {"contained",
        {res("Medication",
             {{"id", {str("med0301")}},
              {"code", {codeable("http://hl7.org/fhir/sid/ndc", "0069-2587-10")}},
              {"ingredient",
               {obj({{"itemCodeableConcept", {codeable("http://snomed.info/sct", "1")}},
                     {"isActive", {boolean(true)}},
                     {"strength",
                      {obj({{"numerator", {obj({{"value", {num("500")}}, {"code", {str("mg")}}})}},
                            {"denominator", {obj({{"value", {num("1")}}})}}})}}})}}})}},
       {"extension",
        {obj({{"url", {str("http://fhir837/waste")}},
              {"valueQuantity", {obj({{"value", {num("2.50")}}, {"unit", {str("mg")}}})}}}),
         obj({{"url", {str("http://fhir837/flag")}}, {"valueBoolean", {boolean(false)}}})}},
       {"status", {str("completed")}},
       {"medicationReference", {ref("#med0301")}},
       {"subject", {ref("Patient/pat1")}},
       {"context", {ref("Encounter/f001")}},
       {"effectivePeriod",
        {obj({{"start", {str("2015-01-15T14:30:00+01:00")}},
              {"end", {str("2015-01-15T14:50:00+01:00")}}})}},
       {"performer", {obj({{"actor", {ref("Practitioner/f007")}}})}},
       {"note", {obj({{"text", {str("slow push")}}})}},
       {"dosage",
        {obj({{"text", {str("500mg IV q6h")}},
              {"route", {codeable("http://snomed.info/sct", "47625008")}},
              {"dose", {obj({{"value", {num("500")}}, {"unit", {str("mg")}}})}},
              {"rateRatio", {obj({{"numerator", {obj({{"value", {num("1")}}})}}})}}})}}});
  Result<AnyResource> bound = bindResource(root, "ma.json");
  ASSERT_TRUE(bound.has_value()) << bound.error().describe();
  const auto* ma = bound->as<MedicationAdministration>();
  ASSERT_NE(ma, nullptr);

  Medication med;
  med.id = "med0301";
  med.code = cc("http://hl7.org/fhir/sid/ndc", "0069-2587-10");
  MedicationIngredient ingredient;
  ingredient.itemCodeableConcept = cc("http://snomed.info/sct", "1");
  ingredient.isActive = true;
  ingredient.strength = Ratio{Quantity{"500", "", "", "", "mg"}, Quantity{"1", "", "", "", ""}};
  med.ingredient.push_back(ingredient);

  MedicationAdministration expected;
  expected.id = "medadmin0301";
  expected.contained.push_back(AnyResource{med});
  Extension waste;
  waste.url = "http://fhir837/waste";
  waste.valueType = "Quantity";
  waste.valueQuantity = Quantity{"2.50", "", "mg", "", ""};
  Extension flag;
  flag.url = "http://fhir837/flag";
  flag.valueType = "Boolean";
  flag.valueString = "false";
  expected.extension = {waste, flag};
  expected.status = "completed";
  expected.medication.reference = rf("#med0301");
  expected.subject = rf("Patient/pat1");
  expected.context = rf("Encounter/f001");
  expected.effective.period =
      Period{dt("2015-01-15T14:30:00+01:00"), dt("2015-01-15T14:50:00+01:00")};
  expected.performer.push_back(Performer{{}, rf("Practitioner/f007")});
  expected.note.push_back(Annotation{"slow push"});
  AdministrationDosage dosage;
  dosage.text = "500mg IV q6h";
  dosage.route = cc("http://snomed.info/sct", "47625008");
  dosage.dose = Quantity{"500", "", "mg", "", ""};
  dosage.rateRatio = Ratio{Quantity{"1", "", "", "", ""}, std::nullopt};
  expected.dosage = dosage;
  EXPECT_EQ(*ma, expected);
}

TEST(ModelBinderTest, BindsEncounterCoverageDeviceAndProcedure) {
  FhirNode encounter =
      res("Encounter",
          {{"class", {coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP")}},
           {"diagnosis", {obj({{"condition", {ref("Condition/c1")}}, {"rank", {num("2")}}})}},
           {"hospitalization",
            {obj({{"admitSource", {codeable("http://as", "emd")}},
                  {"dischargeDisposition", {codeable("http://dd", "home")}},
                  {"preAdmissionIdentifier", {obj({{"value", {str("x")}}})}}})}},
           {"location", {obj({{"location", {ref("Location/l1")}}, {"status", {str("active")}}})}},
           {"serviceProvider", {ref("Organization/o1")}}});
  auto boundEncounter = bindResource(encounter, "e.xml");
  ASSERT_TRUE(boundEncounter.has_value()) << boundEncounter.error().describe();
  Encounter expectedEncounter;
  expectedEncounter.encounterClass =
      Coding{"http://terminology.hl7.org/CodeSystem/v3-ActCode", "", "IMP", ""};
  expectedEncounter.diagnosis.push_back(EncounterDiagnosis{rf("Condition/c1"), {}, 2});
  expectedEncounter.admitSource = cc("http://as", "emd");
  expectedEncounter.dischargeDisposition = cc("http://dd", "home");
  expectedEncounter.location.push_back(EncounterLocation{rf("Location/l1"), "active"});
  expectedEncounter.serviceProvider = rf("Organization/o1");
  EXPECT_EQ(boundEncounter->value, ResourceVariant{expectedEncounter});

  FhirNode coverage = res(
      "Coverage", {{"class",
                    {obj({{"type", {codeable("http://ct", "group")}}, {"value", {text("CB135")}}}),
                     obj({{"value", {text("B37FC")}}, {"name", {text("Plan B")}}})}},
                   {"order", {text("1")}},
                   {"payor", {ref("Organization/2"), ref("Patient/5")}}});
  auto boundCoverage = bindResource(coverage, "c.xml");
  ASSERT_TRUE(boundCoverage.has_value()) << boundCoverage.error().describe();
  Coverage expectedCoverage;
  expectedCoverage.classes = {CoverageClass{cc("http://ct", "group"), "CB135", ""},
                              CoverageClass{{}, "B37FC", "Plan B"}};
  expectedCoverage.order = 1;
  expectedCoverage.payor = {rf("Organization/2"), rf("Patient/5")};
  EXPECT_EQ(boundCoverage->value, ResourceVariant{expectedCoverage});

  FhirNode device =
      res("Device", {{"deviceName",
                      {obj({{"name", {str("Pump A")}}, {"type", {str("model-name")}}}),
                       obj({{"type", {str("other")}}})}}});
  auto boundDevice = bindResource(device, "d.json");
  ASSERT_TRUE(boundDevice.has_value()) << boundDevice.error().describe();
  EXPECT_EQ(boundDevice->as<Device>()->deviceName, std::vector<std::string>{"Pump A"});

  FhirNode procedure = res("Procedure", {{"status", {str("completed")}},
                                         {"performedString", {str("about a year ago")}}});
  auto boundProcedure = bindResource(procedure, "pr.json");
  ASSERT_TRUE(boundProcedure.has_value()) << boundProcedure.error().describe();
  TimingChoice expectedTiming;
  expectedTiming.other = "performedString";
  EXPECT_EQ(boundProcedure->as<Procedure>()->performed, expectedTiming);

  FhirNode procedure2 = res("Procedure", {{"performedDateTime", {str("2013-04-05")}},
                                          {"performedAge", {obj({{"value", {num("4")}}})}}});
  auto failed = bindResource(procedure2, "pr.json");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error(), makeError(ErrorCode::kWrongType, "more than one performed[x] element",
                                      "pr.json: Procedure.performedAge"));
}

TEST(ModelBinderTest, BindsBundleEntriesAndOtherResources) {
  FhirNode root = res(
      "Bundle",
      {{"id", {FhirNode{}}},  // JSON "id": null
       {"type", {str("transaction")}},
       {"entry",
        {obj({{"fullUrl", {str("urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a")}},
              {"resource", {res("Observation", {{"id", {str("o1")}}, {"status", {num("12")}}})}},
              {"request", {obj({{"method", {str("POST")}}, {"url", {str("Observation")}}})}}}),
         obj({{"fullUrl", {str("http://example.org/fhir/Patient/123")}},
              {"resource", {res("Patient", {{"id", {str("123")}}})}}})}}});
  Result<AnyResource> bound = bindResource(root, "b.json");
  ASSERT_TRUE(bound.has_value()) << bound.error().describe();
  const Bundle* bundle = bound->as<Bundle>();
  ASSERT_NE(bundle, nullptr);
  EXPECT_EQ(bundle->id, "");
  EXPECT_EQ(bundle->type, "transaction");
  ASSERT_EQ(bundle->entry.size(), 2u);
  OtherResource observation;
  observation.resourceType = "Observation";
  observation.id = "o1";
  Patient patient;
  patient.id = "123";
  EXPECT_EQ(bundle->entry[0], (BundleEntry{"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
                                           AnyResource{observation}, "POST", "Observation"}));
  EXPECT_EQ(bundle->entry[1],
            (BundleEntry{"http://example.org/fhir/Patient/123", AnyResource{patient}, "", ""}));
  EXPECT_EQ(bundle->entry[0].resource->resourceType(), "Observation");
}

}  // namespace
}  // namespace fhir837
