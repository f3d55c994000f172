#include "engine/cluster/stream_envelope.h"

#include <gtest/gtest.h>

#include <string>

#include "cluster_fakes.h"

namespace fhir837::cluster {
namespace {

using serve::BodyFormat;
using testing::analysed;

TEST(StreamEnvelopeTest, JsonRoundTrip) {
  const std::string body = R"({"resourceType":"Patient","id":"p-1.a","gender":"female"})";
  auto write = analysed(body, "Patient", "p-1.a");
  const std::string payload = encodeStreamed(write);
  EXPECT_EQ(payload, "fhir837/1 json Patient p-1.a\n" + body);
  auto decoded = decodeStreamed(payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, BodyFormat::kJson);
  EXPECT_EQ(decoded->type, "Patient");
  EXPECT_EQ(decoded->id, "p-1.a");
  EXPECT_EQ(decoded->body, body);
}

TEST(StreamEnvelopeTest, XmlRoundTripKeepsNewlinesOfTheBody) {
  const std::string body =
      "<Patient xmlns=\"http://hl7.org/fhir\">\n <id value=\"p1\"/>\n</Patient>\n";
  serve::Intake intake = serve::analyseBody(body, BodyFormat::kXml, "Patient", "p1", {});
  ASSERT_TRUE(intake.resource) << (intake.problem ? intake.problem->diagnostics : "");
  const std::string payload = encodeStreamed(*intake.resource);
  EXPECT_EQ(payload, "fhir837/1 xml Patient p1\n" + body);
  auto decoded = decodeStreamed(payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, BodyFormat::kXml);
  EXPECT_EQ(decoded->type, "Patient");
  EXPECT_EQ(decoded->id, "p1");
  EXPECT_EQ(decoded->body, body);
}

TEST(StreamEnvelopeTest, LongestIdIsAccepted) {
  const std::string id(64, 'a');
  const std::string payload = "fhir837/1 json Patient " + id + "\n{}";
  auto decoded = decodeStreamed(payload);  // its body points into `payload`
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->id, id);
  EXPECT_EQ(decoded->body, "{}");
}

TEST(StreamEnvelopeTest, MalformedHeadersAreRefused) {
  const std::string longId(65, 'a');
  const std::vector<std::string> refused = {
      "",
      "{\"resourceType\":\"Patient\"}",
      "fhir837/1 json Patient p1",            // no newline
      "fhir837/2 json Patient p1\n{}",        // another envelope version
      "FHIR837/1 json Patient p1\n{}",        // magic is case-sensitive
      "fhir837/1 ndjson Patient p1\n{}",      // unknown format
      "fhir837/1 Json Patient p1\n{}",        // formats are lower case
      "fhir837/1 json Patient\n{}",           // id missing
      "fhir837/1 json\n{}",                   // type and id missing
      "fhir837/1 \n{}",                       // everything missing
      "fhir837/1 json  p1\n{}",               // empty type
      "fhir837/1 json Patient \n{}",          // empty id
      "fhir837/1 json Pat_ient p1\n{}",       // '_' is not in a type
      "fhir837/1 json Patient p/1\n{}",       // '/' is not in an id
      "fhir837/1 json Patient p1 extra\n{}",  // a space is not in an id
      "fhir837/1 json Patient p1\r\n{}",      // CR is not in an id
      "fhir837/1 json Patient " + longId + "\n{}",
      "fhir837/1 json " + longId + " p1\n{}",
  };
  for (const std::string& payload : refused) {
    SCOPED_TRACE(payload);
    EXPECT_FALSE(decodeStreamed(payload));
  }
}

TEST(StreamEnvelopeTest, MessageIdNamesResourceContentAndSubject) {
  auto v1 = analysed(R"({"resourceType":"Patient","id":"p1"})", "Patient", "p1");
  auto v2 = analysed(R"({"resourceType":"Patient","id":"p1","gender":"male"})", "Patient", "p1");
  ASSERT_EQ(v1.hash.size(), 64u);
  EXPECT_EQ(messageIdOf(v1, "fhir837.in.8"), "Patient/p1/" + v1.hash + "@fhir837.in.8");
  EXPECT_NE(messageIdOf(v1, "fhir837.in.8"), messageIdOf(v1, "fhir837.in.33"));
  EXPECT_NE(messageIdOf(v1, "fhir837.in.8"), messageIdOf(v2, "fhir837.in.8"));
  // The same content analysed again (another instance, a retry) is the same message.
  auto again = analysed(R"({"resourceType":"Patient","id":"p1"})", "Patient", "p1");
  EXPECT_EQ(messageIdOf(again, "fhir837.in.8"), messageIdOf(v1, "fhir837.in.8"));
}

}  // namespace
}  // namespace fhir837::cluster
