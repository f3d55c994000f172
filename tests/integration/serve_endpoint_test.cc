#include <gtest/gtest.h>

#include "engine/serve/journal.h"
#include "serve_process.h"
#include "support/test_paths.h"

namespace fhir837::testing {
namespace {

namespace bhttp = boost::beast::http;
const std::pair<std::string, std::string> kJson{"Content-Type", "application/fhir+json"};
const std::pair<std::string, std::string> kXml{"Content-Type", "application/fhir+xml"};

const std::string kPatient = R"({"resourceType":"Patient","id":"p1","gender":"female"})";

std::string outcome(const std::string& code, const std::string& diagnostics,
                    const std::string& expression = {}) {
  return R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":")" + code +
         R"(","diagnostics":")" + diagnostics + "\"" +
         (expression.empty() ? "" : R"(,"expression":[")" + expression + "\"]") + "}]}";
}

TEST(ServeEndpointTest, PrintsWhereItListensAndStopsCleanlyOnSigterm) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  EXPECT_EQ(daemon.firstLine(),
            "listening on http://127.0.0.1:" + std::to_string(daemon.port()) + "/fhir");
  EXPECT_EQ(daemon.stop(SIGTERM), 0);
}

TEST(ServeEndpointTest, CreateRepeatUpdateAndRead) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());

  auto created = client.send(bhttp::verb::post, "/fhir/Patient", kPatient, {kJson});
  EXPECT_EQ(created.result_int(), 201);
  EXPECT_EQ(created[bhttp::field::location], "/fhir/Patient/p1/_history/1");
  EXPECT_EQ(created[bhttp::field::etag], "W/\"1\"");
  EXPECT_EQ(created.body(), kPatient);

  // An interface engine re-sending after a timeout: the same version, never a second one.
  auto repeated = client.send(bhttp::verb::post, "/fhir/Patient", kPatient, {kJson});
  EXPECT_EQ(repeated.result_int(), 200);
  EXPECT_EQ(repeated[bhttp::field::etag], "W/\"1\"");

  const std::string changed = R"({"resourceType":"Patient","id":"p1","gender":"male"})";
  auto conflict = client.send(bhttp::verb::post, "/fhir/Patient", changed, {kJson});
  EXPECT_EQ(conflict.result_int(), 409);
  EXPECT_EQ(conflict.body(),
            outcome("conflict", "Patient/p1 already exists: update it with PUT", "Patient.id"));

  auto stale =
      client.send(bhttp::verb::put, "/fhir/Patient/p1", changed, {kJson, {"If-Match", "W/\"5\""}});
  EXPECT_EQ(stale.result_int(), 412);
  EXPECT_EQ(stale.body(),
            outcome("processing", "If-Match names version 5, the current version is 1"));

  auto updated = client.send(bhttp::verb::put, "/fhir/Patient/p1", changed,
                             {kJson, {"If-Match", "W/\"1\""}, {"Prefer", "return=minimal"}});
  EXPECT_EQ(updated.result_int(), 200);
  EXPECT_EQ(updated[bhttp::field::location], "/fhir/Patient/p1/_history/2");
  EXPECT_EQ(updated.body(), "");

  auto read = client.send(bhttp::verb::get, "/fhir/Patient/p1");
  EXPECT_EQ(read.result_int(), 200);
  EXPECT_EQ(read.body(), changed);
  EXPECT_EQ(read[bhttp::field::etag], "W/\"2\"");

  auto missing = client.send(bhttp::verb::get, "/fhir/Patient/nobody");
  EXPECT_EQ(missing.result_int(), 404);
}

TEST(ServeEndpointTest, XmlIsStoredAndServedAsXml) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  const std::string xml =
      R"(<Patient xmlns="http://hl7.org/fhir"><id value="px"/><gender value="other"/></Patient>)";
  auto created = client.send(bhttp::verb::put, "/fhir/Patient/px", xml,
                             {kXml, {"Accept", "application/fhir+xml"}});
  EXPECT_EQ(created.result_int(), 201);
  EXPECT_EQ(created.body(), xml);
  auto read = client.send(bhttp::verb::get, "/fhir/Patient/px?_format=xml");
  EXPECT_EQ(read.result_int(), 200);
  EXPECT_EQ(read[bhttp::field::content_type], "application/fhir+xml; charset=utf-8");
  EXPECT_EQ(read.body(), xml);
  auto asJson =
      client.send(bhttp::verb::get, "/fhir/Patient/px", "", {{"Accept", "application/fhir+json"}});
  EXPECT_EQ(asJson.result_int(), 406);
}

TEST(ServeEndpointTest, RefusalsCarryTheirOutcomeAndAreKeptInTheDeadLetter) {
  TempDir state;
  {
    ServeProcess daemon(state.path());
    ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
    FhirClient client(daemon.port());
    struct Case {
      bhttp::verb verb;
      std::string target, body;
      std::vector<std::pair<std::string, std::string>> headers;
      int status;
      std::string expected;
    };
    const std::vector<Case> cases = {
        {bhttp::verb::post,
         "/fhir/Patient",
         "x",
         {{"Content-Type", "text/plain"}},
         415,
         outcome("not-supported",
                 "Content-Type 'text/plain' cannot be read: send application/fhir+json or "
                 "application/fhir+xml")},
        {bhttp::verb::post,
         "/fhir/Patient",
         kPatient,
         {kJson, {"Accept", "text/html"}},
         406,
         outcome("not-supported",
                 "cannot answer in the format asked for (Accept / _format): this server speaks "
                 "application/fhir+json and application/fhir+xml")},
        {bhttp::verb::post,
         "/fhir/Observation",
         R"({"resourceType":"Observation"})",
         {kJson},
         404,
         outcome("not-supported", "resource type Observation is not supported", "Observation")},
        {bhttp::verb::post,
         "/fhir/Patient",
         "{\"resourceType\":",
         {kJson},
         400,
         outcome("structure", "Invalid value. (at byte 16)")},
        {bhttp::verb::post,
         "/fhir/MedicationAdministration",
         R"({"resourceType":"MedicationAdministration","id":"m1","status":"completed"})",
         {kJson},
         422,
         outcome("required",
                 "MedicationAdministration has no subject: the claim has no patient to bill",
                 "MedicationAdministration.subject")},
    };
    for (const Case& c : cases) {
      SCOPED_TRACE(c.target + " " + c.body);
      auto response = client.send(c.verb, c.target, c.body, c.headers);
      EXPECT_EQ(response.result_int(), c.status);
      EXPECT_EQ(response.body(), c.expected);
    }
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
  }
  auto journal = serve::openJournal(state.path());
  ASSERT_TRUE(journal);
  auto letters = (*journal)->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 5u);
  EXPECT_EQ((*letters)[0].httpStatus, 415);
  EXPECT_EQ((*letters)[0].body, "x");
  EXPECT_EQ((*letters)[3].httpStatus, 400);
  EXPECT_EQ((*letters)[3].body, "{\"resourceType\":");
  EXPECT_EQ((*letters)[4].issueCode, "required");
  EXPECT_EQ((*letters)[4].target, "/fhir/MedicationAdministration");
}

TEST(ServeEndpointTest, AcknowledgedResourcesSurviveSigkill) {
  TempDir state;
  std::vector<std::string> acknowledged;
  for (int round = 0; round < 3; ++round) {
    ServeProcess daemon(state.path());
    ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
    FhirClient client(daemon.port());
    for (const std::string& id : acknowledged) {
      auto read = client.send(bhttp::verb::get, "/fhir/Patient/" + id);
      EXPECT_EQ(read.result_int(), 200) << id << " was acknowledged before a SIGKILL";
    }
    for (int k = 0; k < 20; ++k) {
      const std::string id = "r" + std::to_string(round) + "-" + std::to_string(k);
      auto created = client.send(bhttp::verb::post, "/fhir/Patient",
                                 R"({"resourceType":"Patient","id":")" + id + "\"}", {kJson});
      ASSERT_EQ(created.result_int(), 201);
      acknowledged.push_back(id);
    }
    EXPECT_EQ(daemon.stop(SIGKILL), 128 + SIGKILL);
  }
  auto journal = serve::openJournal(state.path());
  ASSERT_TRUE(journal);
  auto seq = (*journal)->lastSeq();
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 60);
}

TEST(ServeEndpointTest, MetadataListsExactlyWhatIsServed) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  auto metadata = client.send(bhttp::verb::get, "/fhir/metadata");
  EXPECT_EQ(metadata.result_int(), 200);
  const std::string& body = metadata.body();
  EXPECT_NE(body.find(R"("resourceType":"CapabilityStatement")"), std::string::npos);
  EXPECT_NE(body.find(R"("type":"MedicationAdministration")"), std::string::npos);
  EXPECT_NE(body.find(R"("type":"ExplanationOfBenefit")"), std::string::npos);
  // $billing on the two event types only; Bundles are served.
  const std::string billing =
      R"("operation":[{"name":"billing","definition":"/fhir/OperationDefinition/billing"}])";
  const std::size_t first = body.find(billing);
  ASSERT_NE(first, std::string::npos);
  const std::size_t second = body.find(billing, first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(body.find(billing, second + 1), std::string::npos);
  EXPECT_LT(body.find(R"("type":"MedicationAdministration")"), first);
  EXPECT_LT(body.find(R"("type":"Procedure")"), second);
  EXPECT_GT(body.find(R"("type":"Procedure")"), first);
  EXPECT_NE(body.find(R"("interaction":[{"code":"transaction"},{"code":"batch"}])"),
            std::string::npos);
  EXPECT_NE(body.find(R"("operation":[{"name":"process-message")"), std::string::npos);
}

}  // namespace
}  // namespace fhir837::testing
