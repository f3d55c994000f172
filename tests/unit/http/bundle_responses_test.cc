#include "sources/http/bundle_responses.h"

#include <gtest/gtest.h>

#include "fhir_json/fhir_json_parser.h"
#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837::http {
namespace {

serve::ResourceWrite writeOf(serve::BodyFormat format, std::string body) {
  serve::ResourceWrite write;
  write.type = "Patient";
  write.id = "p1";
  write.format = format;
  write.body = std::move(body);
  return write;
}

serve::WriteResult resultOf(serve::WriteKind kind) {
  serve::WriteResult result;
  result.kind = kind;
  result.type = "Patient";
  result.id = "p1";
  result.versionId = 2;
  result.lastUpdated = "2026-01-05T10:00:00.000Z";
  return result;
}

TEST(BundleResponsesTest, StoredBodiesAreEmbeddedAndTheResponseParsesInBothFormats) {
  const std::string xmlBody =
      R"(<?xml version="1.0" encoding="UTF-8"?><Patient xmlns="http://hl7.org/fhir"><id value="p1"/></Patient>)";
  const std::string jsonBody =
      "\xEF\xBB\xBF"
      R"({"resourceType":"Patient","id":"p1"})";
  for (auto [format, body] : {std::pair{serve::BodyFormat::kXml, xmlBody},
                              std::pair{serve::BodyFormat::kJson, jsonBody}}) {
    std::vector<EntryResponse> entries = {
        writtenEntry(writeOf(format, body), resultOf(serve::WriteKind::kUpdated), format,
                     ReturnPreference::kRepresentation, "Bundle.entry[0]"),
        refusedEntry(422, "required", "no subject", "Bundle.entry[1].resource.subject"),
        writtenEntry(writeOf(format, body), resultOf(serve::WriteKind::kConflict), format,
                     ReturnPreference::kRepresentation, "Bundle.entry[2]")};
    const std::string rendered = render(responseBundle("r1", "batch-response", entries), format);
    auto parsed = format == serve::BodyFormat::kXml ? parseFhirXml(rendered, "response")
                                                    : parseFhirJson(rendered, "response");
    ASSERT_TRUE(parsed) << parsed.error().describe() << "\n" << rendered;
    const auto all = parsed->root.all("entry");
    ASSERT_EQ(all.size(), 3u);
    const FhirNode* resource = all[0].first("resource");
    ASSERT_TRUE(resource) << rendered;
    EXPECT_EQ(resource->resourceType, "Patient");
    EXPECT_EQ(resource->text("id"), "p1");
    const FhirNode* response = all[0].first("response");
    EXPECT_EQ(response->text("status"), "200 OK");
    EXPECT_EQ(response->text("location"), "Patient/p1/_history/2");
    EXPECT_EQ(response->text("etag"), "W/\"2\"");
    const FhirNode* refused = all[1].first("response");
    EXPECT_EQ(refused->text("status"), "422 Unprocessable Entity");
    EXPECT_EQ(refused->first("outcome")->first("issue")->text("expression"),
              "Bundle.entry[1].resource.subject");
    EXPECT_EQ(all[2].first("response")->text("status"), "409 Conflict");
    EXPECT_FALSE(all[2].first("resource"));
  }
}

TEST(BundleResponsesTest, PreferDecidesWhatAnEntryCarries) {
  const auto write = writeOf(serve::BodyFormat::kJson, R"({"resourceType":"Patient","id":"p1"})");
  const auto created = resultOf(serve::WriteKind::kCreated);
  EntryResponse minimal = writtenEntry(write, created, serve::BodyFormat::kJson,
                                       returnPreferenceOf("return=minimal"), "Bundle.entry[0]");
  EXPECT_EQ(minimal.status, 201);
  EXPECT_TRUE(minimal.resource.empty());
  EXPECT_FALSE(minimal.outcome);
  EntryResponse outcome =
      writtenEntry(write, created, serve::BodyFormat::kJson,
                   returnPreferenceOf("return=OperationOutcome"), "Bundle.entry[0]");
  EXPECT_TRUE(outcome.resource.empty());
  EXPECT_TRUE(outcome.outcome);
  // Served as stored: a JSON body is not embedded in an XML answer.
  EntryResponse otherFormat = writtenEntry(write, created, serve::BodyFormat::kXml,
                                           returnPreferenceOf(""), "Bundle.entry[0]");
  EXPECT_TRUE(otherFormat.resource.empty());
  EXPECT_TRUE(otherFormat.outcome);
  EntryResponse representation = writtenEntry(write, created, serve::BodyFormat::kJson,
                                              returnPreferenceOf(""), "Bundle.entry[0]");
  EXPECT_EQ(representation.resource, write.body);
}

TEST(BundleResponsesTest, MessageResponseAnswersTheRequestHeader) {
  serve::BundleIntake request;
  request.type = "message";
  request.id = "b1";
  request.messageHeaderId = "h1";
  request.eventSystem = "urn:events";
  request.eventCode = "notify";
  request.sourceEndpoint = "http://engine.example/out";
  const std::string xml = renderXml(
      messageResponse(request, "r1", "h2", "2026-01-05T10:00:00.000Z", "http://here/fhir"));
  auto parsed = parseFhirXml(xml, "message");
  ASSERT_TRUE(parsed) << parsed.error().describe() << "\n" << xml;
  EXPECT_EQ(parsed->root.text("type"), "message");
  const FhirNode* header = parsed->root.first("entry")->first("resource");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->resourceType, "MessageHeader");
  EXPECT_EQ(header->first("response")->text("identifier"), "h1");
  EXPECT_EQ(header->first("response")->text("code"), "ok");
  EXPECT_EQ(header->first("eventCoding")->text("code"), "notify");
  EXPECT_EQ(header->first("destination")->text("endpoint"), "http://engine.example/out");
  EXPECT_EQ(header->first("source")->text("endpoint"), "http://here/fhir");
}

}  // namespace
}  // namespace fhir837::http
