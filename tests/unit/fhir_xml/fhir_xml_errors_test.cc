#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fhir_xml/fhir_xml_parser.h"

namespace fhir837 {
namespace {

constexpr const char* kOpen = R"(<Patient xmlns="http://hl7.org/fhir">)";

struct ErrorCase {
  const char* name;
  std::string xml;
  ParseLimits limits;
  ErrorCode code;
  std::string where;
};

ParseLimits limitsWith(std::size_t maxBytes, std::size_t maxDepth, std::size_t maxStringBytes) {
  return ParseLimits{maxBytes, maxDepth, maxStringBytes};
}

std::string patient(const std::string& body) { return kOpen + body + "</Patient>"; }

const std::string kBillionLaughs =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n" +
    patient(R"(<name><text value="&lol9;"/></name>)");

const std::string kExternalEntity =
    "<!DOCTYPE Patient [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
    patient(R"(<id value="&xxe;"/>)");

std::string bundleWithStatusText() {
  std::string entries;
  for (int i = 0; i < 2; ++i) {
    entries += R"(<entry><resource><Observation><status value="final"/></Observation></resource>)"
               R"(</entry>)";
  }
  entries += R"(<entry><resource><Observation><status>final</status></Observation></resource>)"
             R"(</entry>)";
  return R"(<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>)" + entries +
         "</Bundle>";
}

std::vector<ErrorCase> errorCases() {
  return {
      {"truncated",
       kOpen + std::string(R"(<id value="x"/>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: byte 51"},
      {"truncatedInAttribute",
       kOpen + std::string(R"(<id value="x)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: byte 48"},
      {"mismatchedTags", patient("<name></nam>"), {}, ErrorCode::kSyntax, "t.xml: byte 45"},
      {"empty", "", {}, ErrorCode::kSyntax, "t.xml: byte 0"},
      {"onlyComment", "<!-- nothing -->", {}, ErrorCode::kSyntax, "t.xml: byte 16"},
      {"twoRoots", patient("") + patient(""), {}, ErrorCode::kSyntax, "t.xml: byte 48"},
      {"rootWithoutNamespace", "<Patient/>", {}, ErrorCode::kUnsupported, "t.xml: Patient"},
      {"rootWrongNamespace",
       R"(<Patient xmlns="http://hl7.org/fhir/"/>)",
       {},
       ErrorCode::kUnsupported,
       "t.xml: Patient"},
      {"rootNotAResource",
       R"(<entry xmlns="http://hl7.org/fhir"/>)",
       {},
       ErrorCode::kWrongType,
       "t.xml: entry"},
      {"childWrongNamespace",
       R"(<Bundle xmlns="http://hl7.org/fhir"><entry/><entry><resource><Patient><name>)"
       R"(<x:given xmlns:x="urn:other" value="a"/></name></Patient></resource></entry></Bundle>)",
       {},
       ErrorCode::kUnsupported,
       "t.xml: Bundle.entry[1].resource.name.given"},
      {"childNamespaceUndeclared",
       patient(R"(<name xmlns=""/>)"),
       {},
       ErrorCode::kUnsupported,
       "t.xml: Patient.name"},
      {"undeclaredPrefix",
       patient(R"(<name><q:given value="a"/></name>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: Patient.name.given"},
      {"wrappedResourceWrongNamespace",
       patient(R"(<contained><Practitioner xmlns="urn:x"/></contained>)"),
       {},
       ErrorCode::kUnsupported,
       "t.xml: Patient.contained"},
      {"xhtmlOutsideDiv",
       patient(R"(<text><p xmlns="http://www.w3.org/1999/xhtml"/></text>)"),
       {},
       ErrorCode::kUnsupported,
       "t.xml: Patient.text.p"},
      {"textInPrimitive",
       patient("<gender>male</gender>"),
       {},
       ErrorCode::kWrongType,
       "t.xml: Patient.gender"},
      {"textInBundleEntry",
       bundleWithStatusText(),
       {},
       ErrorCode::kWrongType,
       "t.xml: Bundle.entry[2].resource.status"},
      {"textInResource", patient("stray"), {}, ErrorCode::kWrongType, "t.xml: Patient"},
      {"textInWrapper",
       patient("<contained>x<Practitioner/></contained>"),
       {},
       ErrorCode::kWrongType,
       "t.xml: Patient.contained"},
      {"cdataText",
       patient("<gender><![CDATA[male]]></gender>"),
       {},
       ErrorCode::kWrongType,
       "t.xml: Patient.gender"},
      {"repeatedIndexShown",
       patient(R"(<name/><name><given>x</given></name><name/>)"),
       {},
       ErrorCode::kWrongType,
       "t.xml: Patient.name[1].given"},
      {"doctype",
       "<!DOCTYPE Patient>" + patient(""),
       {},
       ErrorCode::kUnsupported,
       "t.xml: byte 10"},
      {"billionLaughs", kBillionLaughs, {}, ErrorCode::kUnsupported, "t.xml: byte 32"},
      {"externalEntity", kExternalEntity, {}, ErrorCode::kUnsupported, "t.xml: byte 10"},
      {"tooManyBytes", patient(""), limitsWith(46, 128, 100), ErrorCode::kLimitExceeded, "t.xml"},
      {"tooDeep", patient("<a><b><c/></b></a>"), limitsWith(1000, 3, 100),
       ErrorCode::kLimitExceeded, "t.xml: Patient.a.b.c"},
      {"tooDeepThroughWrapper", patient("<contained><Practitioner><x/></Practitioner></contained>"),
       limitsWith(1000, 3, 100), ErrorCode::kLimitExceeded, "t.xml: Patient.contained.x"},
      {"longValue", patient(R"(<id value="12345"/>)"), limitsWith(1000, 10, 4),
       ErrorCode::kLimitExceeded, "t.xml: Patient.id"},
      {"duplicateAttribute",
       patient(R"(<id value="a" value="b"/>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: Patient.id"},
      {"undefinedEntity",
       patient(R"(<id value="&nbsp;"/>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: byte 48"},
      {"bareAmpersand",
       patient(R"(<id value="a & b"/>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: byte 50"},
      {"undefinedEntityAfterComment",
       patient(R"(<!-- & --><id value="&copy;"/>)"),
       {},
       ErrorCode::kSyntax,
       "t.xml: byte 58"},
      {"longOtherAttribute", patient(R"(<extension url="abcde"/>)"), limitsWith(1000, 10, 4),
       ErrorCode::kLimitExceeded, "t.xml: Patient.extension.url"},
  };
}

TEST(FhirXmlErrorsTest, EachBadDocumentFailsWithExactCodeAndWhere) {
  for (const ErrorCase& c : errorCases()) {
    SCOPED_TRACE(c.name);
    auto result = parseFhirXml(c.xml, "t.xml", c.limits);
    ASSERT_FALSE(result.has_value()) << result->root.dump();
    EXPECT_EQ(result.error().code, c.code) << result.error().describe();
    EXPECT_EQ(result.error().where, c.where) << result.error().describe();
    EXPECT_FALSE(result.error().message.empty());
  }
}

TEST(FhirXmlErrorsTest, LimitsAtTheBoundaryAreAccepted) {
  EXPECT_TRUE(parseFhirXml(patient(""), "t.xml", limitsWith(47, 128, 100)).has_value());
  EXPECT_TRUE(parseFhirXml(patient("<a><b/></a>"), "t.xml", limitsWith(1000, 3, 100)).has_value());
  EXPECT_TRUE(
      parseFhirXml(patient(R"(<id value="1234"/>)"), "t.xml", limitsWith(1000, 3, 4)).has_value());
}

TEST(FhirXmlErrorsTest, WellFormedUtf8AndUtf8DeclarationsAreAccepted) {
  std::string value = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD";  // é € 😀 U+FFFD
  for (const char* decl :
       {"", "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"}) {
    SCOPED_TRACE(decl);
    auto result = parseFhirXml(decl + patient("<id value=\"" + value + "\"/>"), "t.xml");
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    EXPECT_EQ(result->root.text("id"), value);
  }
}

TEST(FhirXmlErrorsTest, PredefinedEntitiesAndCharacterReferencesAreAccepted) {
  auto result = parseFhirXml(
      patient(R"(<id value="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;"/><!-- & --><![CDATA[ ]]>)"),
      "t.xml");
  ASSERT_TRUE(result.has_value()) << result.error().describe();
  EXPECT_EQ(result->root.text("id"), "<>&\"'AB");
}

TEST(FhirXmlErrorsTest, DuplicateAttributeIsNamed) {
  auto result = parseFhirXml(patient(R"(<extension url="a" url="b"/>)"), "t.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "duplicate attribute 'url'");
}

// 200,000 distinct attributes on one element: each is kept, once (this took 39 s when every
// attribute searched the ones before it).
TEST(FhirXmlErrorsTest, TwoHundredThousandAttributesAreAllKept) {
  constexpr int kAttributes = 200000;
  std::string xml = kOpen;
  xml += "<extension";
  for (int i = 0; i < kAttributes; ++i)
    xml += " a" + std::to_string(i) + "=\"" + std::to_string(i) + "\"";
  xml += "/></Patient>";
  auto result = parseFhirXml(xml, "wide.xml");
  ASSERT_TRUE(result.has_value()) << result.error().describe();
  const FhirNode* extension = result->root.first("extension");
  ASSERT_NE(extension, nullptr);
  ASSERT_EQ(extension->children.size(), static_cast<std::size_t>(kAttributes));
  EXPECT_EQ(extension->text("a0"), "0");
  EXPECT_EQ(extension->children.back().first, "a199999");
  EXPECT_EQ(extension->children.back().second.at(0).value, "199999");
}

TEST(FhirXmlErrorsTest, SyntaxErrorsCarryPugixmlDescription) {
  auto result = parseFhirXml(patient("<name></nam>"), "t.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "Start-end tags mismatch");
}

TEST(FhirXmlErrorsTest, TextErrorDoesNotEchoTheValue) {
  auto result = parseFhirXml(patient("<birthDate>1974-12-25</birthDate>"), "t.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().describe().find("1974"), std::string::npos);
}

TEST(FhirXmlErrorsTest, HundredThousandDeepNestingIsALimitNotACrash) {
  constexpr int kDepth = 100000;
  std::string xml = kOpen;
  xml.reserve(static_cast<std::size_t>(kDepth) * 9 + 64);
  for (int i = 0; i < kDepth; ++i) xml += "<a>";
  for (int i = 0; i < kDepth; ++i) xml += "</a>";
  xml += "</Patient>";
  auto result = parseFhirXml(xml, "deep.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kLimitExceeded);
  std::string expected = "deep.xml: Patient";
  for (int i = 0; i < 128; ++i) expected += ".a";  // root is depth 1, so a #128 is depth 129
  EXPECT_EQ(result.error().where, expected);
}

TEST(FhirXmlErrorsTest, FiftyMegabyteAttributeIsALimit) {
  std::string xml = kOpen;
  xml += R"(<photo><data value=")";
  xml.append(50u << 20, 'A');
  xml += R"("/></photo></Patient>)";
  auto result = parseFhirXml(xml, "big.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(result.error().where, "big.xml: Patient.photo.data");
}

}  // namespace
}  // namespace fhir837
