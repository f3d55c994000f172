#include "sources/files/content_kind.h"

#include <gtest/gtest.h>

#include <string>

namespace fhir837 {
namespace {

struct SniffCase {
  const char* label;
  std::string head;
  bool complete;
  const char* name;
  ContentKind expected;
};

TEST(SniffContent, Table) {
  const std::string two =
      "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\"}\n";
  const std::string one = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n";
  const std::string pretty = "{\n  \"resourceType\": \"Bundle\"\n}\n";
  const SniffCase cases[] = {
      {"two lines", two, true, "x.json", ContentKind::kNdjson},
      {"two lines, crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", true, "x", ContentKind::kNdjson},
      {"blank line between", "{\"a\":1}\n\n  \n{\"b\":2}", true, "x", ContentKind::kNdjson},
      {"two lines, head cut in line 2", two.substr(0, 45), false, "x", ContentKind::kNdjson},
      {"braces inside strings", "{\"a\":\"}{\\\"\"}\n{}", true, "x", ContentKind::kNdjson},
      {"nested objects and arrays", "{\"a\":[{\"b\":{}}]}\n{}\n", true, "x", ContentKind::kNdjson},
      {"one line, .ndjson hint", one, true, "Patient.ndjson", ContentKind::kNdjson},
      {"one line, .ndjson.gz hint", one, true, "Patient.NDJSON.gz", ContentKind::kNdjson},
      {"one line, .jsonl hint", one, true, "a.jsonl", ContentKind::kNdjson},
      {"one line, archive member hint", one, true, "e.zip!Patient.000.ndjson",
       ContentKind::kNdjson},
      {"one line, no hint", one, true, "bundle.json", ContentKind::kFhirJson},
      {"one line without newline, no hint", "{\"a\":1}", true, "x", ContentKind::kFhirJson},
      {"first line longer than head, hint", "{\"a\":\"xxxx", false, "a.ndjson",
       ContentKind::kNdjson},
      {"first line longer than head, no hint", "{\"a\":\"xxxx", false, "a.json",
       ContentKind::kFhirJson},
      {"pretty document", pretty, true, "x.json", ContentKind::kFhirJson},
      {"pretty document with .ndjson name: content wins", pretty, true, "x.ndjson",
       ContentKind::kFhirJson},
      {"truncated one-line document", "{\"a\":1", true, "x.ndjson", ContentKind::kFhirJson},
      {"trailing bytes after first object", "{\"a\":1} x\n{}", true, "x", ContentKind::kFhirJson},
      {"second line not an object", "{\"a\":1}\n[1]\n", true, "x.ndjson", ContentKind::kFhirJson},
      {"bom and whitespace before object", "\xEF\xBB\xBF \n{\"a\":1}\n{}", true, "x",
       ContentKind::kNdjson},
      {"broken first line, a resource after it", "{\"resourceType\":\"Patient\",\"id\":\n" + two,
       true, "x.json", ContentKind::kNdjson},
      {"garbage first line, a resource after it", "oops\n\n" + two, true, "x",
       ContentKind::kNdjson},
      {"first object with trailing bytes, a resource after it", "{\"a\":1} x\n" + two, true, "x",
       ContentKind::kNdjson},
      {"pretty document whose second line is a nested resource",
       "{\"resourceType\":\"Bundle\",\"entry\":[\n{\"resource\":{\"resourceType\":\"Patient\"}}\n]}"
       "\n",
       true, "x.ndjson", ContentKind::kFhirJson},
      {"broken first line, second line cut in head", "{\"a\":\n{\"resourceType\":\"P", false, "x",
       ContentKind::kFhirJson},
      {"xml", "<?xml version=\"1.0\"?><Bundle/>", true, "x.json", ContentKind::kFhirXml},
      {"xml after bom and space", "\xEF\xBB\xBF\n  <Patient/>", true, "x", ContentKind::kFhirXml},
      {"empty", "", true, "x.ndjson", ContentKind::kUnknown},
      {"whitespace only", " \r\n\t", true, "x.json", ContentKind::kUnknown},
      {"array", "[{}]", true, "x.json", ContentKind::kUnknown},
      {"csv", "a,b,c\n", true, "x.csv", ContentKind::kUnknown},
      {"binary", std::string("\x00\x01\x02", 3), true, "x", ContentKind::kUnknown},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(sniffContent(c.head, c.complete, c.name), c.expected) << c.label;
  }
}

TEST(SniffContent, NdjsonNames) {
  EXPECT_TRUE(hasNdjsonName("a.ndjson"));
  EXPECT_TRUE(hasNdjsonName("dir/A.NDJSON.GZ"));
  EXPECT_TRUE(hasNdjsonName("a.jsonl.gz"));
  EXPECT_FALSE(hasNdjsonName("a.json"));
  EXPECT_FALSE(hasNdjsonName("a.ndjson.zip"));
  EXPECT_FALSE(hasNdjsonName("ndjson"));
  EXPECT_FALSE(hasNdjsonName(".gz"));
}

TEST(SniffStream, LooksPastTheFirstChunkForALongFirstLineAndReplays) {
  std::string longLine = "{\"a\":\"" + std::string(100000, 'x') + "\"}\n";
  std::string input = longLine + "{\"b\":1}\n";
  MemoryByteStream inner(input);
  PeekableStream stream(inner);
  EXPECT_EQ(sniffStream(stream, "no-hint.json"), ContentKind::kNdjson);
  auto all = readWholeStream(stream, input.size(), "x");
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, input);
}

TEST(SniffStream, GivesUpAtTheLimitAndUsesTheName) {
  std::string input = "{\"a\":\"" + std::string(kMaxSniffBytes + 10, 'x') + "\"}\n{}\n";
  MemoryByteStream inner1(input);
  PeekableStream hinted(inner1);
  EXPECT_EQ(sniffStream(hinted, "big.ndjson"), ContentKind::kNdjson);
  MemoryByteStream inner2(input);
  PeekableStream plain(inner2);
  EXPECT_EQ(sniffStream(plain, "big.json"), ContentKind::kFhirJson);
}

TEST(ContentKind, Names) {
  EXPECT_STREQ(toString(ContentKind::kNdjson), "ndjson");
  EXPECT_STREQ(toString(ContentKind::kFhirJson), "fhir-json");
  EXPECT_STREQ(toString(ContentKind::kFhirXml), "fhir-xml");
  EXPECT_STREQ(toString(ContentKind::kUnknown), "unknown");
}

}  // namespace
}  // namespace fhir837
