// Every file of the third-party corpus parses and binds; JSON and XML forms bind identically.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fhir_parser.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using fhir837::testing::corpusDir;
using fhir837::testing::readFile;

// Files that must fail, with the exact error. Empty when the whole corpus is valid FHIR.
const std::map<std::string, Error>& expectedFailures() {
  static const std::map<std::string, Error> failures{};
  return failures;
}

std::vector<fs::path> filesUnder(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& item : fs::recursive_directory_iterator(dir)) {
    if (item.is_regular_file() && item.path().extension() == extension) out.push_back(item.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Parses every file; returns the bound models by basename (failures are test failures unless
// listed in expectedFailures()).
std::map<std::string, AnyResource> parseAll(const std::vector<fs::path>& files) {
  std::map<std::string, AnyResource> models;
  for (const fs::path& file : files) {
    std::string name = file.filename().string();
    Result<AnyResource> bound = parseFhirResource(readFile(file), name);
    auto expected = expectedFailures().find(name);
    if (expected != expectedFailures().end()) {
      EXPECT_FALSE(bound.has_value()) << name << " was expected to fail";
      if (!bound) {
        EXPECT_EQ(bound.error(), expected->second) << bound.error().describe();
      }
      continue;
    }
    EXPECT_TRUE(bound.has_value())
        << name << ": " << bound.error().describe() << " (" << toString(bound.error().code) << ")";
    if (bound) models.emplace(file.stem().string(), std::move(bound).value());
  }
  return models;
}

// Counts over every resource, Bundle entries and contained ones included (as SOURCES.md does).
struct Counts {
  int administrations = 0, administrationPeriods = 0, procedures = 0, procedurePeriods = 0;

  void add(const AnyResource& resource) {
    if (const auto* ma = resource.as<MedicationAdministration>()) {
      ++administrations;
      const auto& period = ma->effective.period;
      if (period && period->start && period->end) ++administrationPeriods;
    }
    if (const auto* procedure = resource.as<Procedure>()) {
      ++procedures;
      const auto& period = procedure->performed.period;
      if (period && period->start && period->end) ++procedurePeriods;
    }
    for (const AnyResource& contained : resource.base().contained) add(contained);
    if (const auto* bundle = resource.as<Bundle>()) {
      for (const BundleEntry& entry : bundle->entry) {
        if (entry.resource) add(*entry.resource);
      }
    }
  }
};

TEST(R4ExamplesCorpusTest, JsonAndXmlBindToIdenticalModels) {
  auto corpus = corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  fs::path root = *corpus / "r4-examples";
  auto jsonFiles = filesUnder(root / "json", ".json");
  auto xmlFiles = filesUnder(root / "xml", ".xml");
  ASSERT_EQ(jsonFiles.size(), 129u);
  ASSERT_EQ(xmlFiles.size(), 128u);

  std::map<std::string, AnyResource> json = parseAll(jsonFiles);
  std::map<std::string, AnyResource> xml = parseAll(xmlFiles);
  std::size_t pairs = 0;
  for (const auto& [name, model] : xml) {
    auto twin = json.find(name);
    if (twin == json.end()) continue;
    ++pairs;
    EXPECT_TRUE(twin->second == model) << name << ": JSON and XML bind to different models";
  }
  EXPECT_EQ(pairs, 128u);

  // The figures SOURCES.md gives for r4-examples.
  Counts counts;
  for (const auto& [name, model] : xml) counts.add(model);
  EXPECT_EQ(counts.administrations, 11);
  EXPECT_EQ(counts.administrationPeriods, 10);
  EXPECT_EQ(counts.procedures, 12);
  EXPECT_EQ(counts.procedurePeriods, 3);
}

TEST(R4ExamplesCorpusTest, BindsTheModelledResources) {
  auto corpus = corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  fs::path dir = *corpus / "r4-examples" / "json";
  auto bound = parseFhirResource(readFile(dir / "medicationadministration0301.json"),
                                 "medicationadministration0301.json");
  ASSERT_TRUE(bound.has_value()) << bound.error().describe();
  const auto* ma = bound->as<MedicationAdministration>();
  ASSERT_NE(ma, nullptr);
  EXPECT_EQ(ma->id, "medadmin0301");
  EXPECT_EQ(ma->medication.reference->reference, "#med0301");
  ASSERT_EQ(ma->contained.size(), 2u);
  EXPECT_EQ(ma->contained[0].resourceType(), "Medication");
  EXPECT_EQ(ma->contained[1].resourceType(), "Provenance");  // kept as OtherResource
  EXPECT_EQ(ma->status, "in-progress");
  ASSERT_TRUE(ma->effective.period.has_value());
  EXPECT_FALSE(ma->effective.period->end.has_value());

  auto edge = parseFhirResource(readFile(dir / "json-edge-cases.json"), "json-edge-cases.json");
  ASSERT_TRUE(edge.has_value()) << edge.error().describe();
  EXPECT_EQ(edge->resourceType(), "Patient");
  EXPECT_EQ(edge->id(), "");  // "id": null
}

TEST(SyntheaAndIgCorpusTest, EveryJsonFileBinds) {
  auto corpus = corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  auto synthea = filesUnder(*corpus / "synthea", ".json");
  auto ig = filesUnder(*corpus / "ig-examples", ".json");
  EXPECT_GE(synthea.size(), 9u);
  EXPECT_GE(ig.size(), 16u);
  auto models = parseAll(synthea);
  auto igModels = parseAll(ig);
  EXPECT_EQ(models.size(), synthea.size());
  EXPECT_EQ(igModels.size(), ig.size());
}

}  // namespace
}  // namespace fhir837
