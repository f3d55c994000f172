// The tree parseFhirJson builds from well-formed FHIR JSON: kinds, lexemes, arrays, `_name`
// merging, resources, dropped narrative and byte offsets.

#include <gtest/gtest.h>

#include <string>

#include "fhir_json/fhir_json_parser.h"

namespace fhir837 {
namespace {

FhirDocument parseOk(std::string_view json) {
  auto parsed = parseFhirJson(json, "t.json");
  EXPECT_TRUE(parsed.has_value()) << parsed.error().describe();
  if (!parsed) return {};
  return std::move(parsed).value();
}

TEST(FhirJsonTree, PrimitivesKeepLexemeAndKind) {
  FhirDocument doc = parseOk(
      R"({"resourceType":"Observation","status":"final","valueQuantity":{"value":1.50,)"
      R"("unit":"mg"},"flag":true,"other":false,"big":-12.3400e-2,"int":0,"esc":"a\"\u00e9\n"})");
  const FhirNode& root = doc.root;
  EXPECT_EQ(doc.source, "t.json");
  EXPECT_EQ(root.resourceType, "Observation");
  EXPECT_TRUE(root.all("resourceType").empty());
  struct Case {
    const FhirNode* node;
    std::string value;
    PrimitiveKind kind;
  };
  const FhirNode* quantity = root.first("valueQuantity");
  ASSERT_NE(quantity, nullptr);
  EXPECT_FALSE(quantity->hasValue());
  Case cases[] = {
      {root.first("status"), "final", PrimitiveKind::kString},
      {quantity->first("value"), "1.50", PrimitiveKind::kNumber},
      {quantity->first("unit"), "mg", PrimitiveKind::kString},
      {root.first("flag"), "true", PrimitiveKind::kBool},
      {root.first("other"), "false", PrimitiveKind::kBool},
      {root.first("big"), "-12.3400e-2", PrimitiveKind::kNumber},
      {root.first("int"), "0", PrimitiveKind::kNumber},
      {root.first("esc"), "a\"\xC3\xA9\n", PrimitiveKind::kString},
  };
  for (const Case& c : cases) {
    ASSERT_NE(c.node, nullptr) << c.value;
    EXPECT_EQ(c.node->value, c.value);
    EXPECT_EQ(c.node->kind, c.kind) << c.value;
    EXPECT_TRUE(c.node->children.empty());
  }
}

TEST(FhirJsonTree, ChildrenKeepDocumentOrder) {
  FhirDocument doc = parseOk(R"({"resourceType":"Patient","b":"1","a":"2","c":"3"})");
  ASSERT_EQ(doc.root.children.size(), 3u);
  EXPECT_EQ(doc.root.children[0].first, "b");
  EXPECT_EQ(doc.root.children[1].first, "a");
  EXPECT_EQ(doc.root.children[2].first, "c");
}

TEST(FhirJsonTree, ArraysGiveOneItemPerElementAndNullsAreDropped) {
  FhirDocument doc =
      parseOk(R"({"resourceType":"Patient","id":null,"name":[{"given":["a",null,"b"]},{},)"
              R"({"family":"F","text":null}],"photo":{},"telecom":[null]})");
  EXPECT_EQ(doc.root.dump(),
            "@Patient\n"
            "name[0]\n"
            "  given[0]\n"
            "    = \"a\"\n"
            "  given[1]\n"
            "    = \"b\"\n"
            "name[1]\n"
            "  family[0]\n"
            "    = \"F\"\n");
}

TEST(FhirJsonTree, ScalarExtensionMergesIntoTheSameNodeInEitherOrder) {
  const char* orders[] = {
      R"({"resourceType":"Patient","birthDate":"1974-12","_birthDate":{"id":"b1",)"
      R"("extension":[{"url":"u","valueString":"v"}]}})",
      R"({"resourceType":"Patient","_birthDate":{"id":"b1",)"
      R"("extension":[{"url":"u","valueString":"v"}]},"birthDate":"1974-12"})",
  };
  for (const char* json : orders) {
    FhirDocument doc = parseOk(json);
    EXPECT_EQ(doc.root.dump(),
              "@Patient\n"
              "birthDate[0]\n"
              "  = \"1974-12\"\n"
              "  extension[0]\n"
              "    url[0]\n"
              "      = \"u\"\n"
              "    valueString[0]\n"
              "      = \"v\"\n"
              "  id[0]\n"
              "    = \"b1\"\n")
        << json;
    ASSERT_EQ(doc.root.children.size(), 1u) << "no separate _birthDate list";
    EXPECT_EQ(doc.root.first("birthDate")->kind, PrimitiveKind::kString);
  }
}

TEST(FhirJsonTree, ExtensionWithoutValueCreatesValuelessNode) {
  FhirDocument doc = parseOk(
      R"({"resourceType":"Patient","_active":{"extension":[{"url":"u","valueCode":"x"}]}})");
  const FhirNode* active = doc.root.first("active");
  ASSERT_NE(active, nullptr);
  EXPECT_FALSE(active->hasValue());
  EXPECT_EQ(active->kind, PrimitiveKind::kNone);
  EXPECT_EQ(active->first("extension")->text("valueCode"), "x");
}

// Mirrors contact[0].name of r4-examples/json/json-edge-cases.json.
TEST(FhirJsonTree, ArrayExtensionsMergeIndexByIndex) {
  FhirDocument doc = parseOk(R"({"resourceType":"Patient","contact":[{"name":{
      "family":"du Marché",
      "_family":{"extension":[{"url":"q","valueString":"VV"},{"url":"n","valueCode":"ASKU"}]},
      "_given":[null,{"id":"a3","extension":[{"url":"q","valueCode":"MID"}]},null],
      "given":["Bénédicte","Denise","Marie"]}}]})");
  const FhirNode* name = doc.root.first("contact")->first("name");
  ASSERT_NE(name, nullptr);
  auto given = name->all("given");
  ASSERT_EQ(given.size(), 3u);
  EXPECT_EQ(given[0].value, "Bénédicte");
  EXPECT_TRUE(given[0].children.empty());
  EXPECT_EQ(given[1].value, "Denise");
  EXPECT_EQ(given[1].text("id"), "a3");
  EXPECT_EQ(given[1].first("extension")->text("valueCode"), "MID");
  EXPECT_EQ(given[2].value, "Marie");
  EXPECT_TRUE(given[2].children.empty());
  const FhirNode* family = name->first("family");
  EXPECT_EQ(family->value, "du Marché");
  ASSERT_EQ(family->all("extension").size(), 2u);
  EXPECT_EQ(family->all("extension")[1].text("valueCode"), "ASKU");
}

TEST(FhirJsonTree, NullPlaceholdersOnBothSides) {
  // given[1] exists only through _given; given[2] through neither, so it is dropped.
  FhirDocument doc =
      parseOk(R"({"resourceType":"Patient","name":[{"given":["a",null,null],)"
              R"("_given":[null,{"extension":[{"url":"u","valueBoolean":true}]},null]}]})");
  EXPECT_EQ(doc.root.dump(),
            "@Patient\n"
            "name[0]\n"
            "  given[0]\n"
            "    = \"a\"\n"
            "  given[1]\n"
            "    extension[0]\n"
            "      url[0]\n"
            "        = \"u\"\n"
            "      valueBoolean[0]\n"
            "        = \"true\"\n");
}

TEST(FhirJsonTree, ContainedResourcesAreResourceNodes) {
  FhirDocument doc =
      parseOk(R"({"resourceType":"Patient","contained":[{"resourceType":"Binary","id":"pic1"},)"
              R"({"id":"org1","resourceType":"Organization","name":"Clinic"}],"id":"p"})");
  auto contained = doc.root.all("contained");
  ASSERT_EQ(contained.size(), 2u);
  EXPECT_EQ(contained[0].resourceType, "Binary");
  EXPECT_EQ(contained[0].text("id"), "pic1");
  EXPECT_EQ(contained[1].resourceType, "Organization");
  EXPECT_TRUE(contained[1].all("resourceType").empty());
  EXPECT_EQ(contained[1].text("name"), "Clinic");
}

TEST(FhirJsonTree, BundleEntriesHoldResources) {
  FhirDocument doc = parseOk(R"({"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"p1"}},
      {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Encounter","status":"finished",
       "subject":{"reference":"urn:uuid:1"}}}]})");
  auto entries = doc.root.all("entry");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_FALSE(entries[0].isResource());
  EXPECT_EQ(entries[0].first("resource")->resourceType, "Patient");
  const FhirNode* encounter = entries[1].first("resource");
  EXPECT_EQ(encounter->resourceType, "Encounter");
  EXPECT_EQ(encounter->first("subject")->text("reference"), "urn:uuid:1");
}

TEST(FhirJsonTree, NarrativeDivIsDropped) {
  FhirDocument doc =
      parseOk(R"({"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"x\">)"
              R"(<p>hi</p></div>","_div":{"id":"d"}},"id":"p"})");
  EXPECT_EQ(doc.root.dump(),
            "@Patient\n"
            "id[0]\n"
            "  = \"p\"\n"
            "text[0]\n"
            "  status[0]\n"
            "    = \"generated\"\n");
}

TEST(FhirJsonTree, OffsetsAreByteOffsetsOfNodeStarts) {
  //                     0         1         2         3         4
  //                     0123456789012345678901234567890123456789012345
  std::string json = R"({"resourceType":"Patient", "id" : "p1",)"
                     "\n"
                     R"( "name":[ {"given":[ "a" ,"b"]} ]})";
  FhirDocument doc = parseOk(json);
  EXPECT_EQ(doc.root.offset, 0u);
  EXPECT_EQ(doc.root.first("id")->offset, 34u);
  const FhirNode* name = doc.root.first("name");
  EXPECT_EQ(name->offset, json.find("{\"given\""));
  EXPECT_EQ(name->all("given")[0].offset, json.find("\"a\""));
  EXPECT_EQ(name->all("given")[1].offset, json.find("\"b\""));
}

TEST(FhirJsonTree, Utf8BomIsSkippedAndCountedInOffsets) {
  FhirDocument doc = parseOk("\xEF\xBB\xBF {\"resourceType\":\"Patient\",\"id\":\"p\"}");
  EXPECT_EQ(doc.root.resourceType, "Patient");
  EXPECT_EQ(doc.root.offset, 4u);
  EXPECT_EQ(doc.root.first("id")->offset, 35u);
}

TEST(FhirJsonTree, ObjectsWithManyPropertiesStillDetectMergesAndDuplicates) {
  std::string json = R"({"resourceType":"Basic")";
  for (int i = 0; i < 40; ++i)
    json += ",\"p" + std::to_string(i) + "\":\"" + std::to_string(i) + "\"";
  json += R"(,"_p30":{"id":"x"}})";
  FhirDocument doc = parseOk(json);
  ASSERT_EQ(doc.root.children.size(), 40u);
  EXPECT_EQ(doc.root.first("p30")->value, "30");
  EXPECT_EQ(doc.root.first("p30")->text("id"), "x");

  auto dup = parseFhirJson(json.substr(0, json.size() - 1) + ",\"p5\":\"again\"}", "t.json");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kSyntax);
}

}  // namespace
}  // namespace fhir837
