// The third-party corpus (see /work/shared/corpus/SOURCES.md) parses without error.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fhir_json/fhir_json_parser.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> jsonFilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Parses every file, reporting each failure with its reason; returns how many parsed.
int expectAllParse(const std::vector<fs::path>& files) {
  int parsed = 0;
  for (const fs::path& file : files) {
    std::string bytes = testing::readFile(file);
    auto doc = parseFhirJson(bytes, file.filename().string());
    if (!doc) {
      ADD_FAILURE() << file << ": " << doc.error().describe();
      continue;
    }
    EXPECT_TRUE(doc->root.isResource()) << file;
    ++parsed;
  }
  return parsed;
}

TEST(FhirJsonCorpus, EveryR4ExampleParses) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  fs::path dir = *corpus / "r4-examples" / "json";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "corpus absent: no " << dir;
  auto files = jsonFilesUnder(dir);
  EXPECT_EQ(expectAllParse(files), static_cast<int>(files.size()));
  EXPECT_GE(files.size(), 129u);  // SOURCES.md: 128 pairs + json-edge-cases.json
}

TEST(FhirJsonCorpus, EveryOtherCorpusJsonFileParses) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  std::vector<fs::path> files;
  for (const char* sub : {"synthea", "ig-examples"}) {
    if (!fs::is_directory(*corpus / sub)) continue;
    auto more = jsonFilesUnder(*corpus / sub);
    files.insert(files.end(), more.begin(), more.end());
  }
  if (files.empty()) GTEST_SKIP() << "corpus absent: no synthea/ or ig-examples/ JSON";
  EXPECT_EQ(expectAllParse(files), static_cast<int>(files.size()));
}

// The HL7 stress example, checked node by node where it differs from ordinary JSON.
TEST(FhirJsonCorpus, JsonEdgeCasesExample) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  fs::path file = *corpus / "r4-examples" / "json" / "json-edge-cases.json";
  if (!fs::exists(file)) GTEST_SKIP() << "corpus absent: no " << file;
  auto doc = parseFhirJson(testing::readFile(file), "json-edge-cases.json");
  ASSERT_TRUE(doc.has_value()) << doc.error().describe();
  const FhirNode& root = doc->root;
  EXPECT_EQ(root.resourceType, "Patient");
  const FhirNode* active = root.first("active");
  ASSERT_NE(active, nullptr);
  EXPECT_FALSE(active->hasValue());
  EXPECT_EQ(active->first("extension")->text("valueCode"), "archived");
  EXPECT_EQ(root.first("modifierExtension")->text("valueDecimal"), "3.141592653589793");
  EXPECT_EQ(root.all("modifierExtension")[1].text("valueDecimal"), "1.00065022141624642");
  EXPECT_EQ(root.first("text")->all("div").size(), 0u);
  EXPECT_EQ(root.first("text")->text("status"), "generated");
  auto given = root.first("contact")->first("name")->all("given");
  ASSERT_EQ(given.size(), 3u);
  EXPECT_EQ(given[1].value, "Denise");
  EXPECT_EQ(given[1].text("id"), "a3");
  EXPECT_TRUE(given[0].children.empty());
  EXPECT_TRUE(given[2].children.empty());
  EXPECT_EQ(root.all("contained")[0].resourceType, "Binary");
  EXPECT_EQ(root.all("contained")[1].resourceType, "Organization");
  EXPECT_EQ(root.all("telecom").size(), 2u);
}

}  // namespace
}  // namespace fhir837
