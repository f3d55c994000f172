// The ResourceIndex resolves the references real data uses: Synthea's urn:uuid and conditional
// references across the patient, hospital and practitioner Bundles, and R4 #contained ones.

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/resource_index.h"
#include "fhir_parser.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using fhir837::testing::corpusDir;
using fhir837::testing::readFile;

AnyResource load(const fs::path& file) {
  Result<AnyResource> bound = parseFhirResource(readFile(file), file.filename().string());
  EXPECT_TRUE(bound.has_value()) << bound.error().describe();
  return bound ? std::move(bound).value() : AnyResource{OtherResource{}};
}

struct Resolver {
  const ResourceIndex& index;
  int resolved = 0;

  void expect(const Reference& ref, const AnyResource& from, std::string_view wantType,
              const std::string& where) {
    if (ref.empty()) return;
    Result<const AnyResource*> target = index.resolve(ref, from, where);
    ASSERT_TRUE(target.has_value()) << target.error().describe();
    EXPECT_EQ((*target)->resourceType(), wantType) << where;
    ++resolved;
  }
};

TEST(ReferenceResolutionCorpusTest, SyntheaBundlesResolveAcrossFiles) {
  auto corpus = corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  fs::path dir = *corpus / "synthea" / "qicore-bundles-2025" / "california";
  AnyResource hospitals = load(dir / "hospitalInformation1753719443038.json");
  AnyResource practitioners = load(dir / "practitionerInformation1753719443038.json");
  ASSERT_NE(hospitals.as<Bundle>(), nullptr);
  ASSERT_NE(practitioners.as<Bundle>(), nullptr);

  int files = 0;
  for (const auto& item : fs::directory_iterator(dir)) {
    std::string name = item.path().filename().string();
    if (name.find("Information") != std::string::npos) continue;
    ++files;
    AnyResource patientBundle = load(item.path());
    const Bundle* bundle = patientBundle.as<Bundle>();
    ASSERT_NE(bundle, nullptr) << name;
    ResourceIndex index = ResourceIndex::fromBundle(*bundle);
    index.addBundle(*hospitals.as<Bundle>());
    index.addBundle(*practitioners.as<Bundle>());

    Resolver resolver{index};
    for (const BundleEntry& entry : bundle->entry) {
      const AnyResource& from = *entry.resource;
      std::string at = name + ": " + std::string(from.resourceType()) + "/" + from.id();
      if (const auto* ma = from.as<MedicationAdministration>()) {
        resolver.expect(ma->subject, from, "Patient", at + ".subject");
        resolver.expect(ma->context, from, "Encounter", at + ".context");
      }
      if (const auto* encounter = from.as<Encounter>()) {
        resolver.expect(encounter->subject, from, "Patient", at + ".subject");
        resolver.expect(encounter->serviceProvider, from, "Organization", at + ".serviceProvider");
        for (const auto& participant : encounter->participant) {
          resolver.expect(participant.individual, from, "Practitioner", at + ".participant");
        }
        for (const auto& location : encounter->location) {
          resolver.expect(location.location, from, "Location", at + ".location");
        }
      }
    }
    // Every patient Bundle has encounters with provider, practitioner and location references.
    EXPECT_GT(resolver.resolved, 10) << name;
  }
  EXPECT_EQ(files, 5);
}

TEST(ReferenceResolutionCorpusTest, R4AdministrationsResolveContainedMedications) {
  auto corpus = corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  int contained = 0;
  for (const char* name : {"medicationadministration0301", "medicationadministration0302",
                           "medicationadministration0303", "medicationadministration0304"}) {
    AnyResource resource = load(*corpus / "r4-examples" / "xml" / (std::string(name) + ".xml"));
    const auto* ma = resource.as<MedicationAdministration>();
    ASSERT_NE(ma, nullptr) << name;
    if (!ma->medication.reference) continue;
    ResourceIndex index;
    index.addBorrowed(resource);
    Result<const AnyResource*> medication =
        index.resolve(*ma->medication.reference, resource, "medicationReference");
    ASSERT_TRUE(medication.has_value()) << medication.error().describe();
    EXPECT_EQ((*medication)->resourceType(), "Medication");
    EXPECT_EQ(*medication, &resource.base().contained[0]);
    ++contained;
  }
  EXPECT_EQ(contained, 4);
}

}  // namespace
}  // namespace fhir837
