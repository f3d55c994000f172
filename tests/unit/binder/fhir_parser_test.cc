#include "fhir_parser.h"

#include <gtest/gtest.h>

#include "unit/binder/tree_builder.h"

namespace fhir837 {
namespace {

struct SniffCase {
  std::string bytes;
  std::optional<FhirFormat> format;
};

class SniffTest : public ::testing::TestWithParam<SniffCase> {};

TEST_P(SniffTest, FirstNonBlankByteAfterBom) {
  const SniffCase& c = GetParam();
  Result<FhirFormat> sniffed = sniffFhirFormat(c.bytes, "in.dat");
  if (c.format) {
    ASSERT_TRUE(sniffed.has_value());
    EXPECT_EQ(*sniffed, *c.format);
  } else {
    ASSERT_FALSE(sniffed.has_value());
    EXPECT_EQ(sniffed.error(), makeError(ErrorCode::kSyntax, "not FHIR JSON or XML", "in.dat"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, SniffTest,
    ::testing::Values(SniffCase{"{}", FhirFormat::kJson},
                      SniffCase{" \t\r\n{\"resourceType\":\"Patient\"}", FhirFormat::kJson},
                      SniffCase{"\xEF\xBB\xBF{}", FhirFormat::kJson},
                      SniffCase{"\xEF\xBB\xBF\n  <Patient/>", FhirFormat::kXml},
                      SniffCase{"<?xml version=\"1.0\"?><Patient/>", FhirFormat::kXml},
                      SniffCase{"", std::nullopt}, SniffCase{"   \n", std::nullopt},
                      SniffCase{"\xEF\xBB\xBF", std::nullopt}, SniffCase{"[{}]", std::nullopt},
                      SniffCase{"ISA*00*", std::nullopt},
                      // A BOM only counts once and only at the very start.
                      SniffCase{"\xEF\xBB\xBF\xEF\xBB\xBF{}", std::nullopt},
                      SniffCase{" \xEF\xBB\xBF{}", std::nullopt}));

TEST(ParseFhirResourceTest, JsonAndXmlBindToTheSameModel) {
  const std::string json = R"({"resourceType": "Procedure", "id": "p1", "status": "completed",
      "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "96365"}]},
      "performedPeriod": {"start": "2024-03-01T09:00:00-05:00", "end": "2024-03-01T10:35:59-05:00"}})";
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<Procedure xmlns="http://hl7.org/fhir">
  <id value="p1"/>
  <status value="completed"/>
  <code><coding><system value="http://www.ama-assn.org/go/cpt"/><code value="96365"/></coding></code>
  <performedPeriod>
    <start value="2024-03-01T09:00:00-05:00"/><end value="2024-03-01T10:35:59-05:00"/>
  </performedPeriod>
</Procedure>)";
  Result<AnyResource> fromJson = parseFhirResource(json, "p.json");
  Result<AnyResource> fromXml = parseFhirResource(xml, "p.xml");
  ASSERT_TRUE(fromJson.has_value()) << fromJson.error().describe();
  ASSERT_TRUE(fromXml.has_value()) << fromXml.error().describe();
  EXPECT_EQ(*fromJson, *fromXml);
  const Procedure* procedure = fromJson->as<Procedure>();
  ASSERT_NE(procedure, nullptr);
  EXPECT_EQ(procedure->code.findSystem("http://www.ama-assn.org/go/cpt")->code, "96365");
  EXPECT_EQ(
      wholeMinutesBetween(*procedure->performed.period->start, *procedure->performed.period->end),
      95);
}

TEST(ParseFhirResourceTest, BinderErrorsNameTheSourceAndPath) {
  Result<AnyResource> json = parseFhirResource(
      R"({"resourceType": "Bundle", "entry": [{"fullUrl": "urn:uuid:1"}, {"resource": {"resourceType": "Patient",
          "birthDate": "2023-02-29"}}]})",
      "f.json");
  ASSERT_FALSE(json.has_value());
  EXPECT_EQ(json.error(), makeError(ErrorCode::kInvalidValue,
                                    "not a valid FHIR date/dateTime/instant: no such calendar day",
                                    "f.json: Bundle.entry[1].resource.birthDate"));

  Result<AnyResource> xml = parseFhirResource(
      R"(<Coverage xmlns="http://hl7.org/fhir"><order value="first"/></Coverage>)", "f.xml");
  ASSERT_FALSE(xml.has_value());
  EXPECT_EQ(xml.error(),
            makeError(ErrorCode::kInvalidValue, "not a FHIR integer", "f.xml: Coverage.order"));
}

TEST(ParseFhirResourceTest, SniffFailureStopsBeforeParsing) {
  Result<AnyResource> bound = parseFhirResource("ISA*00*", "claim.x12");
  ASSERT_FALSE(bound.has_value());
  EXPECT_EQ(bound.error(), makeError(ErrorCode::kSyntax, "not FHIR JSON or XML", "claim.x12"));
}

}  // namespace
}  // namespace fhir837
