#include "engine/serve/resource_intake.h"

#include <gtest/gtest.h>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837::serve {
namespace {

const std::string kAdministrationJson = R"({"resourceType":"MedicationAdministration","id":"ma1",
 "status":"completed","subject":{"reference":"Patient/p1"},
 "context":{"reference":"http://ehr.example/fhir/Encounter/e1/_history/2"},
 "medicationReference":{"reference":"Medication?identifier=http://hl7.org/fhir/sid/ndc|0001"},
 "contained":[{"resourceType":"Practitioner","id":"x"}],
 "performer":[{"actor":{"reference":"#x"}},{"actor":{"reference":"urn:uuid:abc"}}],
 "effectivePeriod":{"start":"2026-01-05T10:00:00Z","end":"2026-01-05T11:30:00Z"}})";

const std::string kAdministrationXml = R"(<MedicationAdministration xmlns="http://hl7.org/fhir">
 <id value="ma1"/><contained><Practitioner><id value="x"/></Practitioner></contained>
 <status value="completed"/>
 <medicationReference><reference value="Medication?identifier=http://hl7.org/fhir/sid/ndc|0001"/></medicationReference>
 <subject><reference value="Patient/p1"/></subject>
 <context><reference value="http://ehr.example/fhir/Encounter/e1/_history/2"/></context>
 <effectivePeriod><start value="2026-01-05T10:00:00Z"/><end value="2026-01-05T11:30:00Z"/></effectivePeriod>
 <performer><actor><reference value="#x"/></actor></performer>
 <performer><actor><reference value="urn:uuid:abc"/></actor></performer>
</MedicationAdministration>)";

void expectProblem(const Intake& intake, int status, const std::string& code,
                   const std::string& diagnostics, const std::string& expression) {
  ASSERT_TRUE(intake.problem);
  EXPECT_FALSE(intake.resource);
  EXPECT_EQ(intake.problem->httpStatus, status);
  EXPECT_EQ(intake.problem->issueCode, code);
  EXPECT_EQ(intake.problem->diagnostics, diagnostics);
  EXPECT_EQ(intake.problem->expression, expression);
}

TEST(IntakeTest, EventFactsAreTheSameInJsonAndXml) {
  for (auto [body, format] : {std::pair{kAdministrationJson, BodyFormat::kJson},
                              std::pair{kAdministrationXml, BodyFormat::kXml}}) {
    SCOPED_TRACE(format == BodyFormat::kXml ? "xml" : "json");
    Intake intake = analyseBody(body, format, "MedicationAdministration", "", {});
    ASSERT_FALSE(intake.problem) << intake.problem->diagnostics;
    ASSERT_TRUE(intake.resource);
    const ResourceWrite& write = *intake.resource;
    EXPECT_EQ(write.type, "MedicationAdministration");
    EXPECT_EQ(write.id, "ma1");
    EXPECT_EQ(write.body, body);  // stored as sent
    EXPECT_EQ(write.hash.size(), 64u);
    EXPECT_EQ(write.format, format);
    std::vector<std::string> refs = write.references;
    std::sort(refs.begin(), refs.end());
    EXPECT_EQ(refs, (std::vector<std::string>{
                        "Encounter/e1", "Medication?identifier=http://hl7.org/fhir/sid/ndc|0001",
                        "Patient/p1"}));
    ASSERT_TRUE(write.event);
    EXPECT_EQ(write.event->groupKey, "Encounter/e1");
    EXPECT_EQ(write.event->patientKey, "Patient/p1");
    EXPECT_EQ(write.event->status, "completed");
    EXPECT_FALSE(write.encounter);
  }
}

TEST(IntakeTest, HashIsSha256OfTheStoredBody) {
  Intake intake = analyseBody(R"({"resourceType":"Patient","id":"p1"})", BodyFormat::kJson,
                              "Patient", "p1", {});
  ASSERT_TRUE(intake.resource);
  // sha256sum of the same 36 bytes.
  EXPECT_EQ(intake.resource->hash,
            "43bdf12d90068b936a6368063247ab46a120b559d68b024a82c8c527b35665a2");
}

TEST(IntakeTest, PostWithoutIdGetsOneInTheStoredBody) {
  Intake json = analyseBody(R"({"resourceType":"Patient","gender":"female"})", BodyFormat::kJson,
                            "Patient", "", {});
  ASSERT_TRUE(json.resource);
  EXPECT_EQ(json.resource->id.size(), 32u);
  auto reparsed = parseFhirJson(json.resource->body, "stored");
  ASSERT_TRUE(reparsed) << reparsed.error().describe();
  EXPECT_EQ(reparsed->root.text("id"), json.resource->id);

  Intake xml =
      analyseBody(R"(<Patient xmlns="http://hl7.org/fhir"><gender value="male"/></Patient>)",
                  BodyFormat::kXml, "Patient", "", {});
  ASSERT_TRUE(xml.resource);
  auto reparsedXml = parseFhirXml(xml.resource->body, "stored");
  ASSERT_TRUE(reparsedXml) << reparsedXml.error().describe();
  EXPECT_EQ(reparsedXml->root.text("id"), xml.resource->id);
  EXPECT_EQ(reparsedXml->root.text("gender"), "male");
  EXPECT_NE(json.resource->id, xml.resource->id);
}

TEST(IntakeTest, EncounterFinishedByStatusOrPeriodEnd) {
  auto finished = [](const std::string& body) {
    Intake intake = analyseBody(body, BodyFormat::kJson, "Encounter", "", {});
    EXPECT_TRUE(intake.resource) << (intake.problem ? intake.problem->diagnostics : "");
    return intake.resource && intake.resource->encounter && intake.resource->encounter->finished;
  };
  EXPECT_TRUE(finished(R"({"resourceType":"Encounter","id":"e","status":"finished"})"));
  EXPECT_TRUE(finished(
      R"({"resourceType":"Encounter","id":"e","status":"in-progress","period":{"end":"2026-01-05"}})"));
  EXPECT_FALSE(finished(R"({"resourceType":"Encounter","id":"e","status":"in-progress"})"));
}

TEST(IntakeTest, IdentifiersAreIndexed) {
  Intake intake = analyseBody(
      R"({"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:mrn","value":"7"},{"system":"urn:x"}]})",
      BodyFormat::kJson, "Patient", "p1", {});
  ASSERT_TRUE(intake.resource);
  ASSERT_EQ(intake.resource->identifiers.size(), 1u);
  EXPECT_EQ(intake.resource->identifiers[0].type, "Patient");
  EXPECT_EQ(intake.resource->identifiers[0].system, "urn:mrn");
  EXPECT_EQ(intake.resource->identifiers[0].value, "7");
}

TEST(IntakeTest, EveryRefusalHasItsStatusCodeAndExpression) {
  expectProblem(analyseBody("{\"resourceType\":", BodyFormat::kJson, "Patient", "", {}), 400,
                "structure", "Invalid value. (at byte 16)", "");
  expectProblem(
      analyseBody(R"({"resourceType":"Patient","id":"p1"})", BodyFormat::kJson, "Coverage", "", {}),
      400, "invalid", "resourceType Patient does not match the URL's Coverage",
      "Patient.resourceType");
  expectProblem(analyseBody(R"({"resourceType":"Observation","id":"o"})", BodyFormat::kJson,
                            "Observation", "", {}),
                404, "not-supported", "resource type Observation is not supported", "Observation");
  expectProblem(analyseBody(R"({"resourceType":"Patient","id":"p1"})", BodyFormat::kJson, "Patient",
                            "p2", {}),
                400, "value", "the body's id p1 does not match the URL's p2", "Patient.id");
  expectProblem(
      analyseBody(R"({"resourceType":"Patient"})", BodyFormat::kJson, "Patient", "p2", {}), 400,
      "value", "the body has no id; PUT needs the URL's id in it", "Patient.id");
  expectProblem(
      analyseBody(R"({"resourceType":"MedicationAdministration","id":"m","status":"completed"})",
                  BodyFormat::kJson, "MedicationAdministration", "", {}),
      422, "required", "MedicationAdministration has no subject: the claim has no patient to bill",
      "MedicationAdministration.subject");
  expectProblem(analyseBody(R"({"resourceType":"Procedure","id":"x","status":"completed"})",
                            BodyFormat::kJson, "Procedure", "", {}),
                422, "required", "Procedure has no subject: the claim has no patient to bill",
                "Procedure.subject");
  expectProblem(analyseBody(R"({"resourceType":"Bundle","type":"batch"})", BodyFormat::kJson,
                            "Patient", "", {}),
                400, "invalid", "a Bundle is posted to the base (POST /fhir), not to a type",
                "Bundle");
}

TEST(IntakeTest, ShapeAndValueErrorsAre422WithTheElementPath) {
  Intake wrongShape = analyseBody(R"({"resourceType":"Patient","id":"p","gender":5})",
                                  BodyFormat::kJson, "Patient", "", {});
  ASSERT_TRUE(wrongShape.problem);
  EXPECT_EQ(wrongShape.problem->httpStatus, 422);
  EXPECT_EQ(wrongShape.problem->issueCode, "structure");
  EXPECT_EQ(wrongShape.problem->expression, "Patient.gender");

  Intake badDate = analyseBody(R"({"resourceType":"Patient","id":"p","birthDate":"soon"})",
                               BodyFormat::kJson, "Patient", "", {});
  ASSERT_TRUE(badDate.problem);
  EXPECT_EQ(badDate.problem->httpStatus, 422);
  EXPECT_EQ(badDate.problem->issueCode, "value");
  EXPECT_EQ(badDate.problem->expression, "Patient.birthDate");
}

TEST(IntakeTest, LimitsGive413) {
  ParseLimits limits;
  limits.maxBytes = 16;
  Intake intake = analyseBody(R"({"resourceType":"Patient","id":"p1"})", BodyFormat::kJson,
                              "Patient", "", limits);
  ASSERT_TRUE(intake.problem);
  EXPECT_EQ(intake.problem->httpStatus, 413);
  EXPECT_EQ(intake.problem->issueCode, "too-long");
  ParseLimits shallow;
  shallow.maxDepth = 2;
  Intake deep = analyseBody(
      R"({"resourceType":"Patient","id":"p1","name":[{"extension":[{"url":"u","valueString":"x"}]}]})",
      BodyFormat::kJson, "Patient", "", shallow);
  ASSERT_TRUE(deep.problem);
  EXPECT_EQ(deep.problem->httpStatus, 413);
  EXPECT_EQ(deep.problem->issueCode, "too-long");
}

}  // namespace
}  // namespace fhir837::serve
