#include <gtest/gtest.h>

#include <algorithm>

#include "engine/serve/resource_intake.h"
#include "fhir_json/fhir_json_parser.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837::serve {
namespace {

// A transaction as an interface engine sends one: the Patient and Encounter are known only by
// their urn:uuid fullUrls in the event's references.
const std::string kTransactionJson = R"({"resourceType":"Bundle","id":"t1","type":"transaction",
 "entry":[
  {"fullUrl":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001",
   "resource":{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:mrn","value":"7"}]},
   "request":{"method":"POST","url":"Patient"}},
  {"fullUrl":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000002",
   "resource":{"resourceType":"Encounter","id":"e1","status":"finished",
     "subject":{"reference":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001"}},
   "request":{"method":"PUT","url":"Encounter/e1","ifMatch":"W/\"2\""}},
  {"fullUrl":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000003",
   "resource":{"resourceType":"MedicationAdministration","id":"ma1","status":"completed",
     "subject":{"reference":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001"},
     "context":{"reference":"urn:uuid:0f1e2d3c-0000-4000-8000-000000000002"},
     "effectivePeriod":{"start":"2026-01-05T10:00:00Z","end":"2026-01-05T11:30:00Z"}},
   "request":{"method":"POST","url":"MedicationAdministration"}}]})";

const std::string kTransactionXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<Bundle xmlns="http://hl7.org/fhir"><id value="t1"/><type value="transaction"/>
 <entry><fullUrl value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000001"/>
  <resource><Patient><id value="p1"/><identifier><system value="urn:mrn"/><value value="7"/></identifier></Patient></resource>
  <request><method value="POST"/><url value="Patient"/></request></entry>
 <entry><fullUrl value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000002"/>
  <resource><Encounter><id value="e1"/><status value="finished"/>
   <subject><reference value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000001"/></subject></Encounter></resource>
  <request><method value="PUT"/><url value="Encounter/e1"/><ifMatch value="W/&quot;2&quot;"/></request></entry>
 <entry><fullUrl value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000003"/>
  <resource><MedicationAdministration><id value="ma1"/><status value="completed"/>
   <subject><reference value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000001"/></subject>
   <context><reference value="urn:uuid:0f1e2d3c-0000-4000-8000-000000000002"/></context>
   <effectivePeriod><start value="2026-01-05T10:00:00Z"/><end value="2026-01-05T11:30:00Z"/></effectivePeriod>
  </MedicationAdministration></resource>
  <request><method value="POST"/><url value="MedicationAdministration"/></request></entry>
</Bundle>)";

BundleIntake bundleOf(const std::string& body, BodyFormat format, BundleOptions options = {}) {
  Intake intake = analyseBody(body, format, "", "", {}, options);
  EXPECT_FALSE(intake.problem) << intake.problem->diagnostics << " at "
                               << intake.problem->expression;
  EXPECT_FALSE(intake.resource);
  return intake.bundle ? *intake.bundle : BundleIntake{};
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

FhirNode treeOf(const ResourceWrite& write) {
  auto parsed = write.format == BodyFormat::kXml ? parseFhirXml(write.body, "stored")
                                                 : parseFhirJson(write.body, "stored");
  EXPECT_TRUE(parsed) << parsed.error().describe() << "\n" << write.body;
  return parsed ? parsed->root : FhirNode{};
}

void expectEntryProblem(const BundleEntryIntake& entry, int status, const std::string& code,
                        const std::string& expression) {
  ASSERT_TRUE(entry.problem) << expression;
  EXPECT_FALSE(entry.write);
  EXPECT_EQ(entry.problem->httpStatus, status) << entry.problem->diagnostics;
  EXPECT_EQ(entry.problem->issueCode, code) << entry.problem->diagnostics;
  EXPECT_EQ(entry.problem->expression, expression) << entry.problem->diagnostics;
}

TEST(BundleIntakeTest, TransactionResolvesUrnUuidReferencesInTheStoredBodies) {
  BundleIntake bundle = bundleOf(kTransactionJson, BodyFormat::kJson);
  EXPECT_EQ(bundle.type, "transaction");
  EXPECT_EQ(bundle.id, "t1");
  ASSERT_EQ(bundle.entries.size(), 3u);
  for (const BundleEntryIntake& entry : bundle.entries) {
    ASSERT_TRUE(entry.write) << entry.problem->diagnostics;
  }
  const ResourceWrite& patient = *bundle.entries[0].write;
  const ResourceWrite& encounter = *bundle.entries[1].write;
  const ResourceWrite& event = *bundle.entries[2].write;
  EXPECT_EQ(patient.type + "/" + patient.id, "Patient/p1");
  EXPECT_TRUE(patient.createOnly);
  EXPECT_FALSE(encounter.createOnly);
  EXPECT_EQ(encounter.ifMatch, 2u);
  // The resource is stored as sent, but for its references.
  EXPECT_EQ(
      patient.body,
      R"({"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:mrn","value":"7"}]})");
  EXPECT_EQ(event.body.find("urn:uuid"), std::string::npos) << event.body;
  EXPECT_NE(event.body.find(R"("subject":{"reference":"Patient/p1"})"), std::string::npos);
  EXPECT_NE(event.body.find(R"("context":{"reference":"Encounter/e1"})"), std::string::npos);
  EXPECT_EQ(sorted(event.references), (std::vector<std::string>{"Encounter/e1", "Patient/p1"}));
  ASSERT_TRUE(event.event);
  EXPECT_EQ(event.event->groupKey, "Encounter/e1");
  EXPECT_EQ(event.event->patientKey, "Patient/p1");
  ASSERT_TRUE(encounter.encounter);
  EXPECT_TRUE(encounter.encounter->finished);
  EXPECT_EQ(encounter.references, (std::vector<std::string>{"Patient/p1"}));
  ASSERT_EQ(patient.identifiers.size(), 1u);
  EXPECT_EQ(patient.identifiers[0].value, "7");
}

TEST(BundleIntakeTest, XmlTransactionGivesTheSameWritesAsJson) {
  BundleIntake json = bundleOf(kTransactionJson, BodyFormat::kJson);
  BundleIntake xml = bundleOf(kTransactionXml, BodyFormat::kXml);
  ASSERT_EQ(json.entries.size(), xml.entries.size());
  for (std::size_t i = 0; i < json.entries.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(json.entries[i].write);
    ASSERT_TRUE(xml.entries[i].write)
        << xml.entries[i].problem->diagnostics << " at " << xml.entries[i].problem->expression;
    const ResourceWrite& a = *json.entries[i].write;
    const ResourceWrite& b = *xml.entries[i].write;
    EXPECT_EQ(b.format, BodyFormat::kXml);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(sorted(a.references), sorted(b.references));
    EXPECT_EQ(a.identifiers.size(), b.identifiers.size());
    EXPECT_EQ(a.event.has_value(), b.event.has_value());
    if (a.event && b.event) {
      EXPECT_EQ(a.event->groupKey, b.event->groupKey);
      EXPECT_EQ(a.event->patientKey, b.event->patientKey);
      EXPECT_EQ(a.event->status, b.event->status);
    }
    EXPECT_EQ(a.encounter.has_value(), b.encounter.has_value());
    EXPECT_EQ(a.createOnly, b.createOnly);
    EXPECT_EQ(a.ifMatch, b.ifMatch);
    // Each stored body is a resource of its own, with the same content in either format.
    FhirNode treeA = treeOf(a), treeB = treeOf(b);
    EXPECT_TRUE(treeA.sameContent(treeB)) << treeA.dump() << "\n" << treeB.dump();
  }
  // The XML body carries the Bundle's namespace and the rewritten reference.
  const std::string& event = xml.entries[2].write->body;
  EXPECT_EQ(event.rfind(R"(<MedicationAdministration xmlns="http://hl7.org/fhir">)", 0), 0u)
      << event;
  EXPECT_NE(event.find(R"(<reference value="Patient/p1"/>)"), std::string::npos) << event;
}

TEST(BundleIntakeTest, PostWithoutIdGetsOneAndItsReferencesFollow) {
  for (auto [body, format] : {std::pair<std::string, BodyFormat>{
                                  R"({"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Patient","gender":"female"},
               "request":{"method":"POST","url":"Patient"}},
              {"resource":{"resourceType":"Coverage","id":"c1","status":"active",
               "beneficiary":{"reference":"urn:uuid:a"},"payor":[{"reference":"Organization/o"}]},
               "request":{"method":"PUT","url":"Coverage/c1"}}]})",
                                  BodyFormat::kJson},
                              {R"(<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>
              <entry><fullUrl value="urn:uuid:a"/><resource><Patient><gender value="female"/></Patient></resource>
               <request><method value="POST"/><url value="Patient"/></request></entry>
              <entry><resource><Coverage><id value="c1"/><status value="active"/>
               <beneficiary><reference value="urn:uuid:a"/></beneficiary><payor><reference value="Organization/o"/></payor></Coverage></resource>
               <request><method value="PUT"/><url value="Coverage/c1"/></request></entry></Bundle>)",
                               BodyFormat::kXml}}) {
    SCOPED_TRACE(body);
    BundleIntake bundle = bundleOf(body, format);
    ASSERT_EQ(bundle.entries.size(), 2u);
    ASSERT_TRUE(bundle.entries[0].write);
    ASSERT_TRUE(bundle.entries[1].write) << bundle.entries[1].problem->diagnostics;
    const ResourceWrite& patient = *bundle.entries[0].write;
    EXPECT_EQ(patient.id.size(), 32u);
    EXPECT_EQ(treeOf(patient).text("id"), patient.id);
    EXPECT_EQ(sorted(bundle.entries[1].write->references),
              sorted({"Organization/o", "Patient/" + patient.id}));
  }
}

TEST(BundleIntakeTest, ConditionalCreateThatMatchesPointsReferencesAtTheExistingResource) {
  BundleOptions options;
  std::vector<IdentifierQuery> asked;
  options.findExisting = [&](const IdentifierQuery& query) -> Result<std::vector<std::string>> {
    asked.push_back(query);
    return std::vector<std::string>{"p-old"};
  };
  BundleIntake bundle = bundleOf(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Patient",
      "identifier":[{"system":"urn:mrn","value":"7"}]},
     "request":{"method":"POST","url":"Patient","ifNoneExist":"Patient?identifier=urn:mrn|7"}},
    {"resource":{"resourceType":"Encounter","id":"e1","status":"planned",
      "subject":{"reference":"urn:uuid:a"}},"request":{"method":"PUT","url":"Encounter/e1"}}]})",
                                 BodyFormat::kJson, options);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].type, "Patient");
  EXPECT_EQ(asked[0].system, "urn:mrn");
  EXPECT_EQ(asked[0].value, "7");
  ASSERT_TRUE(bundle.entries[0].write);
  ASSERT_TRUE(bundle.entries[0].write->ifNoneExist);  // the journal checks it again
  EXPECT_EQ(bundle.entries[0].write->ifNoneExist->value, "7");
  ASSERT_TRUE(bundle.entries[1].write);
  EXPECT_EQ(bundle.entries[1].write->references, (std::vector<std::string>{"Patient/p-old"}));
}

TEST(BundleIntakeTest, EntryProblemsNameTheEntryElement) {
  BundleIntake bundle = bundleOf(R"({"resourceType":"Bundle","type":"batch","entry":[
    {"resource":{"resourceType":"Patient","id":"p1","birthDate":"soon"},
     "request":{"method":"POST","url":"Patient"}},
    {"resource":{"resourceType":"Observation","id":"o1","status":"final"},
     "request":{"method":"POST","url":"Observation"}},
    {"resource":{"resourceType":"Patient","id":"p2"},"request":{"method":"POST","url":"Patient"}},
    {"resource":{"resourceType":"MedicationAdministration","id":"m","status":"completed"},
     "request":{"method":"POST","url":"MedicationAdministration"}},
    {"request":{"method":"DELETE","url":"Patient/p1"}},
    {"resource":{"resourceType":"Patient","id":"p3"},"request":{"method":"PUT","url":"Patient/p4"}},
    {"resource":{"resourceType":"Patient","id":"p5"},"request":{"method":"POST","url":"Coverage"}},
    {"resource":{"resourceType":"Patient","id":"p6"}},
    {"resource":{"resourceType":"Patient","id":"p7"},
     "request":{"method":"PUT","url":"Patient/p7","ifMatch":"yesterday"}},
    {"resource":{"resourceType":"Patient","id":"p8"},
     "request":{"method":"PUT","url":"Patient?identifier=urn:mrn|8"}}]})",
                                 BodyFormat::kJson);
  ASSERT_EQ(bundle.entries.size(), 10u);
  expectEntryProblem(bundle.entries[0], 422, "value", "Bundle.entry[0].resource.birthDate");
  expectEntryProblem(bundle.entries[1], 404, "not-supported", "Bundle.entry[1].resource");
  EXPECT_TRUE(bundle.entries[2].write);
  EXPECT_FALSE(bundle.entries[2].problem);
  expectEntryProblem(bundle.entries[3], 422, "required", "Bundle.entry[3].resource.subject");
  EXPECT_EQ(bundle.entries[3].problem->diagnostics,
            "MedicationAdministration has no subject: the claim has no patient to bill");
  expectEntryProblem(bundle.entries[4], 405, "not-supported", "Bundle.entry[4].request.method");
  expectEntryProblem(bundle.entries[5], 400, "value", "Bundle.entry[5].resource.id");
  expectEntryProblem(bundle.entries[6], 400, "invalid", "Bundle.entry[6].resource.resourceType");
  expectEntryProblem(bundle.entries[7], 400, "required", "Bundle.entry[7].request");
  expectEntryProblem(bundle.entries[8], 400, "value", "Bundle.entry[8].request.ifMatch");
  expectEntryProblem(bundle.entries[9], 422, "not-supported", "Bundle.entry[9].request.url");
  // A refused entry keeps what was sent of it, for the dead letter.
  EXPECT_EQ(bundle.entries[1].sentEntry,
            R"({"resource":{"resourceType":"Observation","id":"o1","status":"final"},
     "request":{"method":"POST","url":"Observation"}})");
  EXPECT_EQ(bundle.entries[4].sentEntry, R"({"request":{"method":"DELETE","url":"Patient/p1"}})");
  EXPECT_TRUE(bundle.entries[2].sentEntry.empty());
}

TEST(BundleIntakeTest, XmlEntryProblemsNameTheSameElement) {
  BundleIntake bundle = bundleOf(R"(<Bundle xmlns="http://hl7.org/fhir"><type value="batch"/>
    <entry><resource><Patient><id value="p1"/><birthDate value="soon"/></Patient></resource>
     <request><method value="POST"/><url value="Patient"/></request></entry>
    <entry><resource><MedicationAdministration><id value="m"/><status value="completed"/></MedicationAdministration></resource>
     <request><method value="POST"/><url value="MedicationAdministration"/></request></entry>
  </Bundle>)",
                                 BodyFormat::kXml);
  ASSERT_EQ(bundle.entries.size(), 2u);
  expectEntryProblem(bundle.entries[0], 422, "value", "Bundle.entry[0].resource.birthDate");
  expectEntryProblem(bundle.entries[1], 422, "required", "Bundle.entry[1].resource.subject");
  EXPECT_EQ(bundle.entries[0].sentEntry.rfind(R"(<entry xmlns="http://hl7.org/fhir">)", 0), 0u)
      << bundle.entries[0].sentEntry;
}

TEST(BundleIntakeTest, ATransactionWritesEachResourceOnce) {
  BundleIntake bundle = bundleOf(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":{"resourceType":"Patient","id":"p1"},"request":{"method":"POST","url":"Patient"}},
    {"resource":{"resourceType":"Patient","id":"p1","gender":"male"},
     "request":{"method":"PUT","url":"Patient/p1"}}]})",
                                 BodyFormat::kJson);
  ASSERT_EQ(bundle.entries.size(), 2u);
  EXPECT_TRUE(bundle.entries[0].write);
  expectEntryProblem(bundle.entries[1], 400, "invalid", "Bundle.entry[1]");
}

TEST(BundleIntakeTest, WholeBundleProblems) {
  auto problemOf = [](const std::string& body, BundleOptions options = {}) {
    Intake intake = analyseBody(body, BodyFormat::kJson, "", "", {}, options);
    EXPECT_TRUE(intake.problem);
    EXPECT_FALSE(intake.bundle);
    return intake.problem.value_or(IntakeProblem{});
  };
  IntakeProblem noType = problemOf(R"({"resourceType":"Bundle"})");
  EXPECT_EQ(noType.httpStatus, 400);
  EXPECT_EQ(noType.expression, "Bundle.type");
  IntakeProblem searchset = problemOf(R"({"resourceType":"Bundle","type":"searchset"})");
  EXPECT_EQ(searchset.httpStatus, 422);
  EXPECT_EQ(searchset.issueCode, "not-supported");
  BundleOptions two;
  two.maxEntries = 2;
  IntakeProblem tooMany = problemOf(
      R"({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"a"},{"fullUrl":"b"},{"fullUrl":"c"}]})",
      two);
  EXPECT_EQ(tooMany.httpStatus, 413);
  EXPECT_EQ(tooMany.issueCode, "too-long");
  EXPECT_EQ(tooMany.expression, "Bundle.entry");
  IntakeProblem syntax = problemOf(R"({"resourceType":"Bundle","type":"batch","entry":[)");
  EXPECT_EQ(syntax.httpStatus, 400);
  EXPECT_EQ(syntax.issueCode, "structure");
  // A wrong shape inside an entry is that entry's problem.
  BundleIntake shape = bundleOf(R"({"resourceType":"Bundle","type":"batch","entry":[
    {"resource":{"resourceType":"Patient","id":"p","gender":5},
     "request":{"method":"POST","url":"Patient"}}]})",
                                BodyFormat::kJson);
  ASSERT_EQ(shape.entries.size(), 1u);
  expectEntryProblem(shape.entries[0], 422, "structure", "Bundle.entry[0].resource.gender");
  BundleIntake notResource = bundleOf(
      R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":"Patient/p1"}]})",
      BodyFormat::kJson);
  ASSERT_EQ(notResource.entries.size(), 1u);
  expectEntryProblem(notResource.entries[0], 400, "structure", "Bundle.entry[0].resource");
}

TEST(BundleIntakeTest, MessageHeaderIsReadNotStored) {
  BundleIntake bundle = bundleOf(R"({"resourceType":"Bundle","id":"msg-1","type":"message",
    "entry":[{"fullUrl":"urn:uuid:h","resource":{"resourceType":"MessageHeader","id":"h1",
       "eventCoding":{"system":"urn:events","code":"admin-notify"},
       "source":{"endpoint":"http://engine.example/out"}}},
     {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p1"}},
     {"resource":{"resourceType":"Encounter","id":"e1","status":"finished",
       "subject":{"reference":"urn:uuid:p"}}}]})",
                                 BodyFormat::kJson);
  EXPECT_EQ(bundle.messageHeaderId, "h1");
  EXPECT_EQ(bundle.eventSystem, "urn:events");
  EXPECT_EQ(bundle.eventCode, "admin-notify");
  EXPECT_EQ(bundle.sourceEndpoint, "http://engine.example/out");
  ASSERT_EQ(bundle.entries.size(), 3u);
  EXPECT_TRUE(bundle.entries[0].protocol);
  EXPECT_FALSE(bundle.entries[0].write);
  EXPECT_FALSE(bundle.entries[0].problem);
  ASSERT_TRUE(bundle.entries[1].write);
  EXPECT_FALSE(bundle.entries[1].write->createOnly);  // a message's resources are upserts
  ASSERT_TRUE(bundle.entries[2].write);
  EXPECT_EQ(bundle.entries[2].write->references, (std::vector<std::string>{"Patient/p1"}));

  for (const std::string& bad :
       {std::string(R"({"resourceType":"Bundle","type":"message","entry":[
          {"resource":{"resourceType":"MessageHeader","id":"h1"}}]})"),
        std::string(R"({"resourceType":"Bundle","id":"m","type":"message","entry":[
          {"resource":{"resourceType":"Patient","id":"p1"}}]})"),
        std::string(R"({"resourceType":"Bundle","id":"m","type":"message","entry":[
          {"resource":{"resourceType":"MessageHeader"}}]})")}) {
    Intake intake = analyseBody(bad, BodyFormat::kJson, "", "", {}, {});
    ASSERT_TRUE(intake.problem) << bad;
    EXPECT_EQ(intake.problem->httpStatus, 400);
  }
}

TEST(BundleIntakeTest, SubscriptionNotificationsR4BAndBackport) {
  BundleIntake handshake = bundleOf(R"({"resourceType":"Bundle","type":"history","entry":[
    {"fullUrl":"urn:uuid:s","resource":{"resourceType":"SubscriptionStatus","status":"requested",
      "type":"handshake","subscription":{"reference":"https://ehr.example/Subscription/a"}}}]})",
                                    BodyFormat::kJson);
  EXPECT_EQ(handshake.notificationType, "handshake");
  ASSERT_EQ(handshake.entries.size(), 1u);
  EXPECT_TRUE(handshake.entries[0].protocol);

  const std::string backport = R"(<Bundle xmlns="http://hl7.org/fhir"><type value="history"/>
   <entry><fullUrl value="urn:uuid:s"/><resource><Parameters><id value="s"/>
    <meta><profile value="http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"/></meta>
    <parameter><name value="subscription"/><valueReference><reference value="https://ehr.example/Subscription/a"/></valueReference></parameter>
    <parameter><name value="type"/><valueCode value="event-notification"/></parameter>
   </Parameters></resource>
   <request><method value="GET"/><url value="https://ehr.example/Subscription/a/$status"/></request>
   <response><status value="200"/></response></entry>
   <entry><fullUrl value="https://ehr.example/fhir/Patient/p9"/>
    <resource><Patient><id value="p9"/></Patient></resource>
    <request><method value="PUT"/><url value="Patient/p9"/></request><response><status value="201"/></response></entry>
   <entry><fullUrl value="https://ehr.example/fhir/Encounter/e9"/>
    <request><method value="PUT"/><url value="Encounter/e9"/></request><response><status value="201"/></response></entry>
  </Bundle>)";
  BundleIntake event = bundleOf(backport, BodyFormat::kXml);
  EXPECT_EQ(event.notificationType, "event-notification");
  ASSERT_EQ(event.entries.size(), 3u);
  EXPECT_TRUE(event.entries[0].protocol);
  ASSERT_TRUE(event.entries[1].write) << event.entries[1].problem->diagnostics;
  EXPECT_EQ(event.entries[1].write->id, "p9");
  EXPECT_FALSE(event.entries[1].write->createOnly);
  // Id-only entry: nothing to store, and not an error.
  EXPECT_FALSE(event.entries[2].write);
  EXPECT_FALSE(event.entries[2].problem);

  // A history Bundle without a status is a plain history: its resources are stored.
  BundleIntake history = bundleOf(R"({"resourceType":"Bundle","type":"history","entry":[
    {"resource":{"resourceType":"Patient","id":"p1"},"request":{"method":"PUT","url":"Patient/p1"}},
    {"resource":{"resourceType":"Parameters","parameter":[{"name":"type","valueCode":"handshake"}]}}]})",
                                  BodyFormat::kJson);
  EXPECT_TRUE(history.notificationType.empty());
  EXPECT_TRUE(history.entries[0].write);
  expectEntryProblem(history.entries[1], 404, "not-supported", "Bundle.entry[1].resource");
}

TEST(BundleIntakeTest, DocumentCompositionIsTheDocumentsOwnEntry) {
  BundleIntake bundle = bundleOf(R"({"resourceType":"Bundle","type":"document","entry":[
    {"resource":{"resourceType":"Composition","id":"c"}},
    {"resource":{"resourceType":"Patient","id":"p1"}}]})",
                                 BodyFormat::kJson);
  ASSERT_EQ(bundle.entries.size(), 2u);
  EXPECT_TRUE(bundle.entries[0].protocol);
  EXPECT_TRUE(bundle.entries[1].write);
}

}  // namespace
}  // namespace fhir837::serve
