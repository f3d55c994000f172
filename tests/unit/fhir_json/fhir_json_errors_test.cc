// Every way parseFhirJson rejects input, with the exact code, where and message.

#include <gtest/gtest.h>

#include <string>

#include "fhir_json/fhir_json_parser.h"

namespace fhir837 {
namespace {

struct ErrorCase {
  const char* name;
  std::string input;
  ErrorCode code;
  std::string where;
  std::string message;
  ParseLimits limits = {};
};

ParseLimits smallLimits(std::size_t bytes, std::size_t depth, std::size_t string) {
  ParseLimits limits;
  limits.maxBytes = bytes;
  limits.maxDepth = depth;
  limits.maxStringBytes = string;
  return limits;
}

const std::string kBom = "\xEF\xBB\xBF";

TEST(FhirJsonErrors, TableOfCases) {
  const ErrorCase cases[] = {
      // Syntax: RapidJSON's message and the byte offset in the caller's buffer.
      {"truncated object", R"({"resourceType":"Patient","id":"a")", ErrorCode::kSyntax,
       "t.json: byte 34", "Missing a comma or '}' after an object member."},
      {"truncated string", R"({"resourceType":"Pat)", ErrorCode::kSyntax, "t.json: byte 20",
       "Missing a closing quotation mark in string."},
      {"invalid UTF-8", "{\"resourceType\":\"Patient\",\"id\":\"\xC3\x28\"}", ErrorCode::kSyntax,
       "t.json: byte 32", "Invalid encoding in string."},
      {"invalid UTF-8 after BOM", kBom + "{\"resourceType\":\"Patient\",\"id\":\"\xC3\x28\"}",
       ErrorCode::kSyntax, "t.json: byte 35", "Invalid encoding in string."},
      {"overlong UTF-8", "{\"resourceType\":\"Patient\",\"id\":\"\xC0\xAF\"}", ErrorCode::kSyntax,
       "t.json: byte 32", "Invalid encoding in string."},
      {"empty", "", ErrorCode::kSyntax, "t.json: byte 0", "The document is empty."},
      {"BOM only", kBom + "  ", ErrorCode::kSyntax, "t.json: byte 5", "The document is empty."},
      {"trailing garbage", R"({"resourceType":"Patient"} x)", ErrorCode::kSyntax, "t.json: byte 27",
       "The document root must not be followed by other values."},
      {"second root", R"({"resourceType":"Patient"}{})", ErrorCode::kSyntax, "t.json: byte 26",
       "The document root must not be followed by other values."},
      {"NUL after root", std::string("{\"resourceType\":\"Patient\"}\0x", 28), ErrorCode::kSyntax,
       "t.json: byte 26", "The document root must not be followed by other values."},
      {"duplicate key", R"({"resourceType":"Patient","id":"a","id":"b"})", ErrorCode::kSyntax,
       "t.json: byte 35", "duplicate property \"id\" in Patient"},
      {"duplicate resourceType", R"({"resourceType":"Patient","resourceType":"Patient"})",
       ErrorCode::kSyntax, "t.json: byte 26", "duplicate property \"resourceType\" in Patient"},
      {"duplicate _given",
       R"({"resourceType":"Patient","name":[{"_given":[{"id":"1"}],"_given":[]}]})",
       ErrorCode::kSyntax, "t.json: byte 57", "duplicate property \"_given\" in Patient.name[0]"},
      {"number out of double range", R"({"resourceType":"Basic","v":1e400})", ErrorCode::kSyntax,
       "t.json: byte 28", "Number too big to be stored in double."},
      // Syntax wins over shape: a root array that is also truncated.
      {"truncated root array", "[1,", ErrorCode::kSyntax, "t.json: byte 3", "Invalid value."},
      {"syntax after a shape error", R"({"resourceType":5,"a": })", ErrorCode::kSyntax,
       "t.json: byte 23", "Invalid value."},

      // Shape.
      {"missing resourceType", R"({"id":"a"})", ErrorCode::kMissingElement, "t.json: Resource",
       "the root object has no resourceType"},
      {"null resourceType", R"({"resourceType":null})", ErrorCode::kMissingElement,
       "t.json: Resource", "the root object has no resourceType"},
      {"resourceType not a string", R"({"resourceType":5})", ErrorCode::kWrongType,
       "t.json: Resource.resourceType", "resourceType must be a string"},
      {"nested resourceType an object",
       R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":{"x":1}}}]})",
       ErrorCode::kWrongType, "t.json: Bundle.entry[0].resource.resourceType",
       "resourceType must be a string"},
      {"root array", R"([{"resourceType":"Patient"}])", ErrorCode::kWrongType, "t.json: byte 0",
       "the root must be a JSON object"},
      {"root string", R"( "Patient")", ErrorCode::kWrongType, "t.json: byte 1",
       "the root must be a JSON object"},
      {"nested arrays", R"({"resourceType":"Basic","a":[[1]]})", ErrorCode::kWrongType,
       "t.json: Basic.a[0]", "an array cannot hold arrays in FHIR JSON"},
      {"shape error before resourceType", R"({"a":[[1]],"resourceType":"Basic"})",
       ErrorCode::kWrongType, "t.json: Resource.a[0]", "an array cannot hold arrays in FHIR JSON"},
      {"_name holding a scalar", R"({"resourceType":"Patient","_active":true})",
       ErrorCode::kWrongType, "t.json: Patient.active",
       "a '_' property must hold an object (id, extension) or an array of them"},
      {"_name item holding a scalar", R"({"resourceType":"Patient","_given":[null,"x"]})",
       ErrorCode::kWrongType, "t.json: Patient.given[1]",
       "a '_' property must hold an object (id, extension) or an array of them"},
      {"_name after an object", R"({"resourceType":"Patient","code":{"text":"x"},"_code":{}})",
       ErrorCode::kWrongType, "t.json: Patient.code",
       "an object cannot take a '_' property (only primitives can)"},
      {"object after _name", R"({"resourceType":"Patient","_code":{},"code":{"text":"x"}})",
       ErrorCode::kWrongType, "t.json: Patient.code",
       "an object cannot take a '_' property (only primitives can)"},

      // Limits.
      {"maxBytes", R"({"resourceType":"Patient"})", ErrorCode::kLimitExceeded, "t.json",
       "document of 26 bytes is over the limit of 10", smallLimits(10, 128, 100)},
      {"maxDepth", R"({"resourceType":"Basic","a":{"b":{"c":{}}}})", ErrorCode::kLimitExceeded,
       "t.json: byte 38", "nesting deeper than 3 levels", smallLimits(1000, 3, 100)},
      {"maxDepth inside the dropped narrative",
       R"({"resourceType":"Basic","text":{"div":{"a":[]}}})", ErrorCode::kLimitExceeded,
       "t.json: byte 43", "nesting deeper than 3 levels", smallLimits(1000, 3, 100)},
      {"maxStringBytes names the path",
       R"({"resourceType":"Bundle","entry":[{},{"resource":{"resourceType":"Observation",)"
       R"("status":"1234567890123"}}]})",
       ErrorCode::kLimitExceeded, "t.json: Bundle.entry[1].resource.status",
       "string of 13 bytes is over the limit of 12", smallLimits(1000, 128, 12)},
      {"maxStringBytes on a number", R"({"resourceType":"Basic","v":[1,1234567890123]})",
       ErrorCode::kLimitExceeded, "t.json: Basic.v[1]",
       "number of 13 bytes is over the limit of 12", smallLimits(1000, 128, 12)},
      {"maxStringBytes on a key", R"({"resourceType":"Basic","abcdefghijklm":1})",
       ErrorCode::kLimitExceeded, "t.json: Basic",
       "property name of 13 bytes is over the limit of 12", smallLimits(1000, 128, 12)},
  };
  for (const ErrorCase& c : cases) {
    auto parsed = parseFhirJson(c.input, "t.json", c.limits);
    ASSERT_FALSE(parsed.has_value()) << c.name;
    EXPECT_EQ(parsed.error().code, c.code) << c.name << ": " << parsed.error().describe();
    EXPECT_EQ(parsed.error().where, c.where) << c.name;
    EXPECT_EQ(parsed.error().message, c.message) << c.name;
  }
}

TEST(FhirJsonErrors, DepthExactlyAtTheLimitParses) {
  auto parsed = parseFhirJson(R"({"resourceType":"Basic","a":{"b":{"c":"x"}}})", "t.json",
                              smallLimits(1000, 3, 100));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ(parsed->root.first("a")->first("b")->text("c"), "x");
}

TEST(FhirJsonErrors, FiftyMegabyteStringExceedsTheDefaultStringLimit) {
  std::string json = R"({"resourceType":"Binary","data":")";
  json.append(50u << 20, 'A');
  json += "\"}";
  auto parsed = parseFhirJson(json, "big.json");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(parsed.error().where, "big.json: Binary.data");
  EXPECT_EQ(parsed.error().message, "string of 52428800 bytes is over the limit of 8388608");
}

TEST(FhirJsonErrors, HundredThousandOpenBracketsHitTheDepthLimit) {
  auto parsed = parseFhirJson(std::string(100000, '['), "deep.json");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(parsed.error().where, "deep.json: byte 128");  // the 129th '['
  EXPECT_EQ(parsed.error().message, "nesting deeper than 128 levels");
}

TEST(FhirJsonErrors, HundredThousandLevelsOfExtensionsHitTheDepthLimit) {
  std::string json = R"({"resourceType":"Basic","extension":)";
  for (int i = 0; i < 50000; ++i) json += R"([{"extension":)";
  json += "[]";
  for (int i = 0; i < 50000; ++i) json += "}]";
  json += "}";
  auto parsed = parseFhirJson(json, "deep.json");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kLimitExceeded);
  // Level 129 is the '{' of the 64th "[{": 36 + 63 * 14 + 1.
  EXPECT_EQ(parsed.error().where, "deep.json: byte 919");
}

TEST(FhirJsonErrors, DefaultLimitsAcceptTheDepthOfRealDocuments) {
  std::string json = R"({"resourceType":"Basic","extension":)";
  for (int i = 0; i < 60; ++i) json += R"([{"url":"u","extension":)";
  json += R"([{"url":"leaf","valueString":"v"}])";
  for (int i = 0; i < 60; ++i) json += "}]";
  json += "}";
  auto parsed = parseFhirJson(json, "deep.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  const FhirNode* node = &parsed->root;
  for (int i = 0; i <= 60; ++i) node = node->first("extension");
  EXPECT_EQ(node->text("valueString"), "v");
}

}  // namespace
}  // namespace fhir837
