#include <gtest/gtest.h>

#include <string>

#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837 {
namespace {

const FhirNode& parsed(const Result<FhirDocument>& result) {
  if (!result) ADD_FAILURE() << result.error().describe();
  static const FhirNode kEmpty;
  return result ? result->root : kEmpty;
}

TEST(FhirXmlTreeTest, PrimitiveValueIdAndExtensionMergeIntoOneNode) {
  std::string xml =
      R"(<Patient xmlns="http://hl7.org/fhir"><id value="p1"/>)"
      R"(<birthDate value="1974-12-25" id="bd"><extension url="http://x/birthTime">)"
      R"(<valueDateTime value="1974-12-25T14:35:45-05:00"/></extension></birthDate></Patient>)";
  auto result = parseFhirXml(xml, "p.xml");
  const FhirNode& root = parsed(result);
  EXPECT_EQ(root.dump(),
            "@Patient\n"
            "birthDate[0]\n"
            "  = \"1974-12-25\"\n"
            "  extension[0]\n"
            "    url[0]\n"
            "      = \"http://x/birthTime\"\n"
            "    valueDateTime[0]\n"
            "      = \"1974-12-25T14:35:45-05:00\"\n"
            "  id[0]\n"
            "    = \"bd\"\n"
            "id[0]\n"
            "  = \"p1\"\n");
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->source, "p.xml");
  const FhirNode* birthDate = root.first("birthDate");
  ASSERT_NE(birthDate, nullptr);
  EXPECT_EQ(birthDate->kind, PrimitiveKind::kText);
  EXPECT_EQ(birthDate->first("id")->kind, PrimitiveKind::kText);
  EXPECT_EQ(birthDate->first("extension")->kind, PrimitiveKind::kNone);
  EXPECT_EQ(root.kind, PrimitiveKind::kNone);
  // offset_debug() points at the element name, just past '<'.
  EXPECT_EQ(root.offset, 1u);
  EXPECT_EQ(birthDate->offset, xml.find("birthDate"));
  EXPECT_EQ(birthDate->first("extension")->offset, xml.find("extension"));
}

TEST(FhirXmlTreeTest, RepeatedElementsBecomeOneListInOrder) {
  auto result = parseFhirXml(
      R"(<Patient xmlns="http://hl7.org/fhir"><name><given value="A"/><given value="B"/>)"
      R"(<given value="C"/></name><name><family value="D"/></name></Patient>)",
      "p.xml");
  const FhirNode& root = parsed(result);
  ASSERT_EQ(root.all("name").size(), 2u);
  auto given = root.all("name")[0].all("given");
  ASSERT_EQ(given.size(), 3u);
  EXPECT_EQ(given[0].value, "A");
  EXPECT_EQ(given[1].value, "B");
  EXPECT_EQ(given[2].value, "C");
  EXPECT_EQ(root.all("name")[1].text("family"), "D");
  EXPECT_EQ(root.children.size(), 1u);
}

TEST(FhirXmlTreeTest, ContainedAndBundleEntryWrappersAreResourceNodes) {
  auto result = parseFhirXml(
      R"(<Bundle xmlns="http://hl7.org/fhir"><type value="batch-response"/>)"
      R"(<entry><fullUrl value="urn:uuid:1"/><resource><Patient><id value="a"/></Patient>)"
      R"(</resource></entry><entry><resource><MedicationAdministration><contained>)"
      R"(<Medication><id value="m"/></Medication></contained><status value="completed"/>)"
      R"(</MedicationAdministration></resource><response><status value="200"/><outcome>)"
      R"(<OperationOutcome><issue><severity value="information"/></issue></OperationOutcome>)"
      R"(</outcome></response></entry></Bundle>)",
      "b.xml");
  EXPECT_EQ(parsed(result).dump(),
            "@Bundle\n"
            "entry[0]\n"
            "  fullUrl[0]\n"
            "    = \"urn:uuid:1\"\n"
            "  resource[0]\n"
            "    @Patient\n"
            "    id[0]\n"
            "      = \"a\"\n"
            "entry[1]\n"
            "  resource[0]\n"
            "    @MedicationAdministration\n"
            "    contained[0]\n"
            "      @Medication\n"
            "      id[0]\n"
            "        = \"m\"\n"
            "    status[0]\n"
            "      = \"completed\"\n"
            "  response[0]\n"
            "    outcome[0]\n"
            "      @OperationOutcome\n"
            "      issue[0]\n"
            "        severity[0]\n"
            "          = \"information\"\n"
            "    status[0]\n"
            "      = \"200\"\n"
            "type[0]\n"
            "  = \"batch-response\"\n");
}

TEST(FhirXmlTreeTest, ResourceNodeTakesTheOffsetOfTheResourceElement) {
  std::string xml =
      R"(<Bundle xmlns="http://hl7.org/fhir"><entry><resource><Patient/></resource></entry></Bundle>)";
  auto result = parseFhirXml(xml, "b.xml");
  const FhirNode* resource = parsed(result).first("entry")->first("resource");
  ASSERT_NE(resource, nullptr);
  EXPECT_EQ(resource->resourceType, "Patient");
  EXPECT_TRUE(resource->children.empty());
  EXPECT_EQ(resource->offset, xml.find("Patient"));
}

TEST(FhirXmlTreeTest, NarrativeDivIsDroppedWithEverythingInside) {
  auto result = parseFhirXml(
      R"(<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>)"
      R"(<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p><table/></div>)"
      R"(</text><contained><Practitioner><text><status value="additional"/>)"
      R"(<h:div xmlns:h="http://www.w3.org/1999/xhtml">x</h:div></text></Practitioner>)"
      R"(</contained></Patient>)",
      "p.xml");
  EXPECT_EQ(parsed(result).dump(),
            "@Patient\n"
            "contained[0]\n"
            "  @Practitioner\n"
            "  text[0]\n"
            "    status[0]\n"
            "      = \"additional\"\n"
            "text[0]\n"
            "  status[0]\n"
            "    = \"generated\"\n");
}

TEST(FhirXmlTreeTest, CommentsDeclarationPisAndWhitespaceAreIgnored) {
  auto result = parseFhirXml(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- top -->\n<?pi here?>\n"
      "<Patient xmlns=\"http://hl7.org/fhir\">\n  <!-- inside -->\n  <active value=\"true\">"
      "<!-- in a primitive --></active>\n\t<?pi again?>\r\n</Patient>\n<!-- after -->\n",
      "p.xml");
  EXPECT_EQ(parsed(result).dump(),
            "@Patient\n"
            "active[0]\n"
            "  = \"true\"\n");
}

TEST(FhirXmlTreeTest, AttributeValuesAreDecodedAndNormalisedAsXmlRequires) {
  auto result = parseFhirXml(
      "<Patient xmlns=\"http://hl7.org/fhir\"><comment value=\"a&#10;b&amp;c&lt;&quot;\xC3\xA9\"/>"
      "<note value=\"x\ny\tz\"/><empty value=\"\"/><bare/></Patient>",
      "p.xml");
  const FhirNode& root = parsed(result);
  EXPECT_EQ(root.text("comment"), "a\nb&c<\"\xC3\xA9");
  // Literal line breaks and tabs in attributes become spaces (XML attribute-value normalisation).
  EXPECT_EQ(root.text("note"), "x y z");
  ASSERT_NE(root.first("empty"), nullptr);
  EXPECT_TRUE(root.first("empty")->hasValue());
  EXPECT_EQ(root.first("empty")->value, "");
  ASSERT_NE(root.first("bare"), nullptr);
  EXPECT_FALSE(root.first("bare")->hasValue());
}

TEST(FhirXmlTreeTest, PrefixedFhirNamespaceAndForeignAttributesAreAccepted) {
  auto result = parseFhirXml(
      R"(<f:Patient xmlns:f="http://hl7.org/fhir" )"
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" )"
      R"(xsi:schemaLocation="http://hl7.org/fhir patient.xsd"><f:id value="x" xml:lang="en"/>)"
      R"(<gender xmlns="http://hl7.org/fhir" value="other"/></f:Patient>)",
      "p.xml");
  EXPECT_EQ(parsed(result).dump(),
            "@Patient\n"
            "gender[0]\n"
            "  = \"other\"\n"
            "id[0]\n"
            "  = \"x\"\n");
}

TEST(FhirXmlTreeTest, ParametersResourceIsAWrapperBesideOrdinaryElements) {
  auto result = parseFhirXml(
      R"(<Parameters xmlns="http://hl7.org/fhir"><parameter><name value="r"/><resource>)"
      R"(<Patient><id value="q"/></Patient></resource></parameter></Parameters>)",
      "p.xml");
  EXPECT_EQ(parsed(result).dump(),
            "@Parameters\n"
            "parameter[0]\n"
            "  name[0]\n"
            "    = \"r\"\n"
            "  resource[0]\n"
            "    @Patient\n"
            "    id[0]\n"
            "      = \"q\"\n");
}

}  // namespace
}  // namespace fhir837
