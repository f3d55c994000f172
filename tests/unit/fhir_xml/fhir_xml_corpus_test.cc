#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "fhir_xml/fhir_xml_parser.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> xmlFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every official R4 XML example parses; failures are listed together so one run reports them all.
TEST(FhirXmlCorpusTest, EveryR4ExampleParses) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  fs::path dir = *corpus / "r4-examples" / "xml";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "corpus absent: no " << dir;
  std::vector<fs::path> files = xmlFiles(dir);
  ASSERT_FALSE(files.empty()) << "no .xml in " << dir;
  std::string failures;
  for (const fs::path& file : files) {
    auto result = parseFhirXml(testing::readFile(file), file.filename().string());
    if (!result) {
      failures += result.error().describe() + "\n";
    } else if (!result->root.isResource()) {
      failures += file.filename().string() + ": root is not a resource\n";
    }
  }
  EXPECT_EQ(failures, "");
}

// Spot checks that the corpus trees have the shape the binder relies on.
TEST(FhirXmlCorpusTest, KnownExamplesHaveExpectedShape) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: set FHIR837_CORPUS or FHIR837_CORPUS_DIR";
  fs::path dir = *corpus / "r4-examples" / "xml";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "corpus absent: no " << dir;

  auto patient = parseFhirXml(testing::readFile(dir / "patient-example.xml"), "patient");
  ASSERT_TRUE(patient.has_value()) << patient.error().describe();
  EXPECT_EQ(patient->root.resourceType, "Patient");
  EXPECT_EQ(patient->root.text("id"), "example");
  const FhirNode* birthDate = patient->root.first("birthDate");
  ASSERT_NE(birthDate, nullptr);
  EXPECT_EQ(birthDate->value, "1974-12-25");
  ASSERT_NE(birthDate->first("extension"), nullptr);
  EXPECT_EQ(birthDate->first("extension")->text("url"),
            "http://hl7.org/fhir/StructureDefinition/patient-birthTime");
  ASSERT_NE(patient->root.first("text"), nullptr);
  EXPECT_EQ(patient->root.first("text")->first("div"), nullptr);

  auto bundle =
      parseFhirXml(testing::readFile(dir / "patient-examples-cypress-template.xml"), "cypress");
  ASSERT_TRUE(bundle.has_value()) << bundle.error().describe();
  EXPECT_EQ(bundle->root.resourceType, "Bundle");
  auto entries = bundle->root.all("entry");
  ASSERT_EQ(entries.size(), 225u);
  for (const FhirNode& entry : entries) {
    ASSERT_NE(entry.first("resource"), nullptr);
    EXPECT_EQ(entry.first("resource")->resourceType, "Patient");
  }
}

}  // namespace
}  // namespace fhir837
