// POST /fhir with Bundles on the real daemon (port 0), as an interface engine sends them.

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/serve/journal.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_xml/fhir_xml_parser.h"
#include "serve_process.h"
#include "support/test_paths.h"

namespace fhir837::testing {
namespace {

namespace bhttp = boost::beast::http;
const std::pair<std::string, std::string> kJson{"Content-Type", "application/fhir+json"};
const std::pair<std::string, std::string> kXml{"Content-Type", "application/fhir+xml"};

// Patient, Encounter and the event, linked by urn:uuid fullUrls only.
const std::string kTransaction = R"({"resourceType":"Bundle","type":"transaction","entry":[
 {"fullUrl":"urn:uuid:7c1a0000-0000-4000-8000-000000000001",
  "resource":{"resourceType":"Patient","id":"p1","gender":"female"},
  "request":{"method":"POST","url":"Patient"}},
 {"fullUrl":"urn:uuid:7c1a0000-0000-4000-8000-000000000002",
  "resource":{"resourceType":"Encounter","id":"e1","status":"finished",
   "subject":{"reference":"urn:uuid:7c1a0000-0000-4000-8000-000000000001"}},
  "request":{"method":"PUT","url":"Encounter/e1"}},
 {"fullUrl":"urn:uuid:7c1a0000-0000-4000-8000-000000000003",
  "resource":{"resourceType":"MedicationAdministration","id":"ma1","status":"completed",
   "subject":{"reference":"urn:uuid:7c1a0000-0000-4000-8000-000000000001"},
   "context":{"reference":"urn:uuid:7c1a0000-0000-4000-8000-000000000002"},
   "effectivePeriod":{"start":"2026-01-05T10:00:00Z","end":"2026-01-05T11:30:00Z"}},
  "request":{"method":"POST","url":"MedicationAdministration"}}]})";

const std::string kTransactionXml =
    R"(<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>
 <entry><fullUrl value="urn:uuid:7c1a0000-0000-4000-8000-000000000001"/>
  <resource><Patient><id value="p1"/><gender value="female"/></Patient></resource>
  <request><method value="POST"/><url value="Patient"/></request></entry>
 <entry><fullUrl value="urn:uuid:7c1a0000-0000-4000-8000-000000000002"/>
  <resource><Encounter><id value="e1"/><status value="finished"/>
   <subject><reference value="urn:uuid:7c1a0000-0000-4000-8000-000000000001"/></subject></Encounter></resource>
  <request><method value="PUT"/><url value="Encounter/e1"/></request></entry>
 <entry><fullUrl value="urn:uuid:7c1a0000-0000-4000-8000-000000000003"/>
  <resource><MedicationAdministration><id value="ma1"/><status value="completed"/>
   <subject><reference value="urn:uuid:7c1a0000-0000-4000-8000-000000000001"/></subject>
   <context><reference value="urn:uuid:7c1a0000-0000-4000-8000-000000000002"/></context>
   <effectivePeriod><start value="2026-01-05T10:00:00Z"/><end value="2026-01-05T11:30:00Z"/></effectivePeriod>
  </MedicationAdministration></resource>
  <request><method value="POST"/><url value="MedicationAdministration"/></request></entry>
</Bundle>)";

FhirNode parsed(const std::string& body) {
  auto document = parseFhirJson(body, "response");
  EXPECT_TRUE(document) << document.error().describe() << "\n" << body;
  return document ? document->root : FhirNode{};
}

// entry.response.status of each entry of a response Bundle.
std::vector<std::string> statuses(const FhirNode& bundle) {
  std::vector<std::string> out;
  for (const FhirNode& entry : bundle.all("entry")) {
    const FhirNode* response = entry.first("response");
    out.emplace_back(response ? response->text("status") : "(none)");
  }
  return out;
}

std::string outcomeExpression(const FhirNode& outcome) {
  const FhirNode* issue = outcome.first("issue");
  return issue ? std::string(issue->text("expression")) : "";
}

std::unique_ptr<serve::Journal> reopen(const TempDir& state) {
  auto journal = serve::openJournal(state.path());
  EXPECT_TRUE(journal) << journal.error().describe();
  return journal ? std::move(*journal) : nullptr;
}

TEST(ServeBundleTest, TransactionAnswersInOrderWithLocationsAndResolvedReferences) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());

  auto response = client.send(bhttp::verb::post, "/fhir", kTransaction, {kJson});
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(response[bhttp::field::content_type], "application/fhir+json; charset=utf-8");
  FhirNode bundle = parsed(response.body());
  EXPECT_EQ(bundle.text("type"), "transaction-response");
  EXPECT_EQ(statuses(bundle),
            (std::vector<std::string>{"201 Created", "201 Created", "201 Created"}));
  const auto entries = bundle.all("entry");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first("response")->text("location"), "Patient/p1/_history/1");
  EXPECT_EQ(entries[1].first("response")->text("location"), "Encounter/e1/_history/1");
  EXPECT_EQ(entries[2].first("response")->text("location"),
            "MedicationAdministration/ma1/_history/1");
  EXPECT_EQ(entries[2].first("response")->text("etag"), "W/\"1\"");
  // return=representation (the default): the resource as stored.
  ASSERT_TRUE(entries[2].first("resource"));
  EXPECT_EQ(entries[2].first("resource")->first("subject")->text("reference"), "Patient/p1");

  auto event = client.send(bhttp::verb::get, "/fhir/MedicationAdministration/ma1");
  ASSERT_EQ(event.result_int(), 200);
  EXPECT_NE(event.body().find(R"("subject":{"reference":"Patient/p1"})"), std::string::npos);
  EXPECT_NE(event.body().find(R"("context":{"reference":"Encounter/e1"})"), std::string::npos);
  EXPECT_EQ(event.body().find("urn:uuid"), std::string::npos);

  // Sent again (a retry after a timeout): the same versions, nothing new; minimal answers.
  auto again =
      client.send(bhttp::verb::post, "/fhir", kTransaction, {kJson, {"Prefer", "return=minimal"}});
  ASSERT_EQ(again.result_int(), 200) << again.body();
  FhirNode repeated = parsed(again.body());
  EXPECT_EQ(statuses(repeated), (std::vector<std::string>{"200 OK", "200 OK", "200 OK"}));
  for (const FhirNode& entry : repeated.all("entry")) EXPECT_FALSE(entry.first("resource"));
  EXPECT_EQ(daemon.stop(SIGTERM), 0);
  auto journal = reopen(state);
  ASSERT_TRUE(journal);
  EXPECT_EQ(*journal->lastSeq(), 3);
}

TEST(ServeBundleTest, TransactionWithOneBadEntryStoresNothingAndIsKept) {
  TempDir state;
  const std::string bad = R"({"resourceType":"Bundle","type":"transaction","entry":[
   {"resource":{"resourceType":"Patient","id":"p1"},"request":{"method":"POST","url":"Patient"}},
   {"resource":{"resourceType":"Encounter","id":"e1","status":"finished"},
    "request":{"method":"PUT","url":"Encounter/e1"}},
   {"resource":{"resourceType":"Coverage","id":"c1","status":"active"},
    "request":{"method":"PUT","url":"Coverage/c1"}},
   {"resource":{"resourceType":"MedicationAdministration","id":"ma1","status":"completed"},
    "request":{"method":"POST","url":"MedicationAdministration"}}]})";
  {
    ServeProcess daemon(state.path());
    ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
    FhirClient client(daemon.port());
    auto response = client.send(bhttp::verb::post, "/fhir", bad, {kJson});
    EXPECT_EQ(response.result_int(), 422);
    FhirNode outcome = parsed(response.body());
    EXPECT_EQ(outcome.resourceType, "OperationOutcome");
    EXPECT_EQ(outcomeExpression(outcome), "Bundle.entry[3].resource.subject");
    for (const char* target : {"/fhir/Patient/p1", "/fhir/Encounter/e1", "/fhir/Coverage/c1"}) {
      EXPECT_EQ(client.send(bhttp::verb::get, target).result_int(), 404) << target;
    }
    // An unsupported type refuses the transaction too.
    const std::string observation = R"({"resourceType":"Bundle","type":"transaction","entry":[
     {"resource":{"resourceType":"Patient","id":"p2"},"request":{"method":"POST","url":"Patient"}},
     {"resource":{"resourceType":"Observation","id":"o"},"request":{"method":"POST","url":"Observation"}}]})";
    auto unsupported = client.send(bhttp::verb::post, "/fhir", observation, {kJson});
    EXPECT_EQ(unsupported.result_int(), 422);
    EXPECT_EQ(outcomeExpression(parsed(unsupported.body())), "Bundle.entry[1].resource");
    EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p2").result_int(), 404);
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
  }
  auto journal = reopen(state);
  ASSERT_TRUE(journal);
  EXPECT_EQ(*journal->lastSeq(), 0);
  auto letters = journal->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 2u);
  EXPECT_EQ((*letters)[0].httpStatus, 422);
  EXPECT_EQ((*letters)[0].issueCode, "required");
  EXPECT_EQ((*letters)[0].target, "/fhir");
  EXPECT_EQ((*letters)[0].body, bad);
}

TEST(ServeBundleTest, FailedPreconditionInsideATransactionStoresNothing) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  ASSERT_EQ(client
                .send(bhttp::verb::post, "/fhir/Patient", R"({"resourceType":"Patient","id":"p1"})",
                      {kJson})
                .result_int(),
            201);
  const std::string stale = R"({"resourceType":"Bundle","type":"transaction","entry":[
   {"resource":{"resourceType":"Patient","id":"p9"},"request":{"method":"POST","url":"Patient"}},
   {"resource":{"resourceType":"Patient","id":"p1","gender":"male"},
    "request":{"method":"PUT","url":"Patient/p1","ifMatch":"W/\"4\""}}]})";
  auto response = client.send(bhttp::verb::post, "/fhir", stale, {kJson});
  EXPECT_EQ(response.result_int(), 412);
  EXPECT_EQ(outcomeExpression(parsed(response.body())), "Bundle.entry[1]");
  EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p9").result_int(), 404);

  const std::string conflict = R"({"resourceType":"Bundle","type":"transaction","entry":[
   {"resource":{"resourceType":"Patient","id":"p9"},"request":{"method":"POST","url":"Patient"}},
   {"resource":{"resourceType":"Patient","id":"p1","gender":"male"},
    "request":{"method":"POST","url":"Patient"}}]})";
  auto refused = client.send(bhttp::verb::post, "/fhir", conflict, {kJson});
  EXPECT_EQ(refused.result_int(), 409);
  EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p9").result_int(), 404);
}

TEST(ServeBundleTest, BatchStoresTheGoodEntriesAndKeepsTheRefusedOnes) {
  TempDir state;
  const std::string batch = R"({"resourceType":"Bundle","type":"batch","entry":[
   {"resource":{"resourceType":"Patient","id":"p1"},"request":{"method":"POST","url":"Patient"}},
   {"resource":{"resourceType":"MedicationAdministration","id":"ma1","status":"completed"},
    "request":{"method":"POST","url":"MedicationAdministration"}},
   {"resource":{"resourceType":"Observation","id":"o1"},"request":{"method":"POST","url":"Observation"}},
   {"resource":{"resourceType":"Encounter","id":"e1","status":"planned"},
    "request":{"method":"PUT","url":"Encounter/e1"}}]})";
  {
    ServeProcess daemon(state.path());
    ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
    FhirClient client(daemon.port());
    auto response = client.send(bhttp::verb::post, "/fhir", batch, {kJson});
    ASSERT_EQ(response.result_int(), 200) << response.body();
    FhirNode bundle = parsed(response.body());
    EXPECT_EQ(bundle.text("type"), "batch-response");
    EXPECT_EQ(statuses(bundle), (std::vector<std::string>{"201 Created", "422 Unprocessable Entity",
                                                          "404 Not Found", "201 Created"}));
    const auto entries = bundle.all("entry");
    ASSERT_EQ(entries.size(), 4u);
    const FhirNode* outcome = entries[1].first("response")->first("outcome");
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->resourceType, "OperationOutcome");
    EXPECT_EQ(outcomeExpression(*outcome), "Bundle.entry[1].resource.subject");
    EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p1").result_int(), 200);
    EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Encounter/e1").result_int(), 200);
    EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/MedicationAdministration/ma1").result_int(),
              404);
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
  }
  auto journal = reopen(state);
  ASSERT_TRUE(journal);
  auto letters = journal->deadLetters();
  ASSERT_TRUE(letters);
  ASSERT_EQ(letters->size(), 2u);
  std::sort(letters->begin(), letters->end(),
            [](const auto& a, const auto& b) { return a.reason < b.reason; });
  EXPECT_EQ((*letters)[0].httpStatus, 422);
  EXPECT_EQ((*letters)[0].reason.rfind("Bundle.entry[1]: ", 0), 0u) << (*letters)[0].reason;
  EXPECT_NE((*letters)[0].body.find(R"("id":"ma1")"), std::string::npos) << (*letters)[0].body;
  EXPECT_EQ((*letters)[1].httpStatus, 404);
  EXPECT_NE((*letters)[1].body.find("Observation"), std::string::npos);
}

TEST(ServeBundleTest, RepeatedMessageGetsTheOriginalResponseAndStoresNothingNew) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  auto message = [](const std::string& gender) {
    return R"({"resourceType":"Bundle","id":"msg-1","type":"message","entry":[
     {"fullUrl":"urn:uuid:h","resource":{"resourceType":"MessageHeader","id":"h1",
       "eventCoding":{"system":"urn:events","code":"patient-update"},
       "source":{"endpoint":"http://engine.example/out"}}},
     {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p1","gender":")" +
           gender + R"("}}]})";
  };
  auto first = client.send(bhttp::verb::post, "/fhir/$process-message", message("female"), {kJson});
  ASSERT_EQ(first.result_int(), 200) << first.body();
  FhirNode answer = parsed(first.body());
  EXPECT_EQ(answer.text("type"), "message");
  const FhirNode* header = answer.first("entry")->first("resource");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->resourceType, "MessageHeader");
  EXPECT_EQ(header->first("response")->text("identifier"), "h1");
  EXPECT_EQ(header->first("response")->text("code"), "ok");
  EXPECT_EQ(header->first("eventCoding")->text("code"), "patient-update");

  // The same message again (the sender never saw the answer), even with other content: the
  // original answer byte for byte, and nothing written.
  auto repeat = client.send(bhttp::verb::post, "/fhir/$process-message", message("male"),
                            {kJson, {"Accept", "application/fhir+xml"}});
  EXPECT_EQ(repeat.result_int(), 200);
  EXPECT_EQ(repeat.body(), first.body());
  EXPECT_EQ(repeat[bhttp::field::content_type], first[bhttp::field::content_type]);
  auto patient = client.send(bhttp::verb::get, "/fhir/Patient/p1");
  EXPECT_EQ(patient[bhttp::field::etag], "W/\"1\"");
  EXPECT_NE(patient.body().find("female"), std::string::npos);

  // POST /fhir takes the message as well; $process-message takes nothing else.
  auto base = client.send(bhttp::verb::post, "/fhir", message("female"), {kJson});
  EXPECT_EQ(base.body(), first.body());
  auto notMessage = client.send(bhttp::verb::post, "/fhir/$process-message", kTransaction, {kJson});
  EXPECT_EQ(notMessage.result_int(), 400);
  EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p1").result_int(), 200);
  EXPECT_EQ(daemon.stop(SIGTERM), 0);
  auto journal = reopen(state);
  ASSERT_TRUE(journal);
  EXPECT_EQ(*journal->lastSeq(), 1);
}

TEST(ServeBundleTest, SubscriptionHandshakeAndHeartbeatStoreNothingEventsAreStored) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  const std::string handshake = R"({"resourceType":"Bundle","type":"history","entry":[
   {"fullUrl":"urn:uuid:s","resource":{"resourceType":"SubscriptionStatus","status":"requested",
     "type":"handshake","subscription":{"reference":"https://ehr.example/Subscription/a"}}}]})";
  auto shook = client.send(bhttp::verb::post, "/fhir", handshake, {kJson});
  EXPECT_EQ(shook.result_int(), 200) << shook.body();
  EXPECT_EQ(parsed(shook.body()).resourceType, "OperationOutcome");

  auto backport = [](const std::string& type, const std::string& more) {
    return R"({"resourceType":"Bundle","type":"history","entry":[
     {"fullUrl":"urn:uuid:s","resource":{"resourceType":"Parameters","id":"s",
       "meta":{"profile":["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"]},
       "parameter":[{"name":"subscription","valueReference":{"reference":"https://ehr.example/Subscription/a"}},
        {"name":"type","valueCode":")" +
           type + R"("}]},
      "request":{"method":"GET","url":"https://ehr.example/Subscription/a/$status"},
      "response":{"status":"200"}})" +
           more + "]}";
  };
  auto beat = client.send(bhttp::verb::post, "/fhir", backport("heartbeat", ""), {kJson});
  EXPECT_EQ(beat.result_int(), 200) << beat.body();

  auto event = client.send(bhttp::verb::post, "/fhir",
                           backport("event-notification",
                                    R"(,{"fullUrl":"https://ehr.example/fhir/Patient/p7",
                 "resource":{"resourceType":"Patient","id":"p7"},
                 "request":{"method":"PUT","url":"Patient/p7"},"response":{"status":"201"}},
                {"fullUrl":"https://ehr.example/fhir/Encounter/e7",
                 "request":{"method":"PUT","url":"Encounter/e7"},"response":{"status":"201"}})"),
                           {kJson});
  ASSERT_EQ(event.result_int(), 200) << event.body();
  FhirNode answer = parsed(event.body());
  EXPECT_EQ(statuses(answer), (std::vector<std::string>{"200 OK", "201 Created", "200 OK"}));
  EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Patient/p7").result_int(), 200);
  EXPECT_EQ(daemon.stop(SIGTERM), 0);
  auto journal = reopen(state);
  ASSERT_TRUE(journal);
  EXPECT_EQ(*journal->lastSeq(), 1);  // only the event notification's Patient
}

TEST(ServeBundleTest, XmlTransactionStoresTheSameAsJson) {
  TempDir jsonState, xmlState;
  std::vector<std::string> jsonLocations, xmlLocations;
  for (auto* run : {&jsonState, &xmlState}) {
    const bool xml = run == &xmlState;
    ServeProcess daemon(run->path());
    ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
    FhirClient client(daemon.port());
    // Each answered in its own format: the XML answer embeds the stored XML bodies.
    auto response = client.send(bhttp::verb::post, "/fhir", xml ? kTransactionXml : kTransaction,
                                {xml ? kXml : kJson});
    ASSERT_EQ(response.result_int(), 200) << response.body();
    auto document = xml ? parseFhirXml(response.body(), "response")
                        : parseFhirJson(response.body(), "response");
    ASSERT_TRUE(document) << document.error().describe() << "\n" << response.body();
    const FhirNode& answer = document->root;
    EXPECT_EQ(answer.text("type"), "transaction-response");
    ASSERT_EQ(answer.all("entry").size(), 3u);
    EXPECT_EQ(answer.all("entry")[2].first("resource")->first("subject")->text("reference"),
              "Patient/p1");
    for (const FhirNode& entry : answer.all("entry")) {
      (xml ? xmlLocations : jsonLocations).emplace_back(entry.first("response")->text("location"));
    }
    if (xml) {
      auto stored = client.send(bhttp::verb::get, "/fhir/MedicationAdministration/ma1?_format=xml");
      EXPECT_NE(stored.body().find(R"(<reference value="Patient/p1"/>)"), std::string::npos)
          << stored.body();
    }
    EXPECT_EQ(daemon.stop(SIGTERM), 0);
  }
  EXPECT_EQ(jsonLocations, xmlLocations);
  auto jsonJournal = reopen(jsonState);
  auto xmlJournal = reopen(xmlState);
  ASSERT_TRUE(jsonJournal && xmlJournal);
  // The billing side's facts: the same group, finished, with the same event.
  auto jsonGroups = jsonJournal->groupsChangedAfter(0);
  auto xmlGroups = xmlJournal->groupsChangedAfter(0);
  ASSERT_TRUE(jsonGroups && xmlGroups);
  ASSERT_EQ(jsonGroups->size(), 1u);
  ASSERT_EQ(xmlGroups->size(), 1u);
  EXPECT_EQ((*jsonGroups)[0].groupKey, "Encounter/e1");
  EXPECT_EQ((*xmlGroups)[0].groupKey, "Encounter/e1");
  EXPECT_TRUE((*jsonGroups)[0].encounterFinished);
  EXPECT_TRUE((*xmlGroups)[0].encounterFinished);
  auto ids = [](serve::Journal& journal) {
    std::vector<std::string> out;
    auto closure = journal.closureOf("Encounter/e1");
    EXPECT_TRUE(closure);
    for (const auto& resource : *closure) out.push_back(resource.type + "/" + resource.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(*jsonJournal), ids(*xmlJournal));
  EXPECT_FALSE(ids(*jsonJournal).empty());
}

TEST(ServeBundleTest, CollectionIsStoredWholeAndTooManyEntriesAre413) {
  TempDir state;
  ServeProcess daemon(state.path());
  ASSERT_NE(daemon.port(), 0) << daemon.firstLine();
  FhirClient client(daemon.port());
  auto stored =
      client.send(bhttp::verb::post, "/fhir", R"({"resourceType":"Bundle","type":"collection",
    "entry":[{"resource":{"resourceType":"Patient","id":"p1"}},
             {"resource":{"resourceType":"Organization","id":"o1"}}]})",
                  {kJson});
  ASSERT_EQ(stored.result_int(), 200) << stored.body();
  FhirNode outcome = parsed(stored.body());
  EXPECT_EQ(outcome.resourceType, "OperationOutcome");
  EXPECT_EQ(outcome.all("issue").size(), 2u);
  EXPECT_EQ(client.send(bhttp::verb::get, "/fhir/Organization/o1").result_int(), 200);

  std::string many = R"({"resourceType":"Bundle","type":"batch","entry":[)";
  // Empty objects are dropped by the parser; an entry needs something in it.
  for (int i = 0; i <= 10000; ++i) many += i == 0 ? R"({"fullUrl":"x"})" : R"(,{"fullUrl":"x"})";
  many += "]}";
  auto tooMany = client.send(bhttp::verb::post, "/fhir", many, {kJson});
  EXPECT_EQ(tooMany.result_int(), 413);
  EXPECT_EQ(outcomeExpression(parsed(tooMany.body())), "Bundle.entry");
}

}  // namespace
}  // namespace fhir837::testing
