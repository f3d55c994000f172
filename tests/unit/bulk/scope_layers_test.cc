// How the second pass resolves references when a run mixes Bundles and NDJSON files: nearest
// first (an event's own Bundle, then the Bundles, then the NDJSON files; for an NDJSON event the
// NDJSON files first), and Coverage from both kinds of input.
#include <gtest/gtest.h>

#include "engine/bulk/coverage_links.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/group_coder.h"
#include "engine/input_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

using testing::TempDir;
using testing::writeFile;

// A Bundle and an NDJSON file that both hold a Patient/p1, but different patients.
constexpr const char* kBundle = R"({"resourceType":"Bundle","type":"collection","entry":[
  {"resource":{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:mrn","value":"BUNDLE"}]}},
  {"resource":{"resourceType":"Coverage","id":"cov-b","status":"cancelled","beneficiary":{"reference":"Patient/p1"},"payor":[{"reference":"Organization/o1"}]}},
  {"resource":{"resourceType":"MedicationAdministration","id":"ma-b","status":"completed","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"x"},"effectiveDateTime":"2025-01-01"}}
]})";
constexpr const char* kNdjson =
    R"({"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:mrn","value":"NDJSON"}]})"
    "\n"
    R"({"resourceType":"Patient","id":"p2"})"
    "\n"
    R"({"resourceType":"Coverage","id":"cov-n","status":"active","beneficiary":{"reference":"Patient/p2"},"payor":[{"reference":"Organization/o1"}]})"
    "\n"
    R"({"resourceType":"MedicationAdministration","id":"ma-n","status":"completed","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"x"},"effectiveDateTime":"2025-01-01"})"
    "\n";
// A Bundle whose patient's only Coverages are in the NDJSON file and in another Bundle.
constexpr const char* kBundleWithoutCoverage =
    R"({"resourceType":"Bundle","type":"collection","entry":[
  {"resource":{"resourceType":"Patient","id":"p2"}},
  {"resource":{"resourceType":"MedicationAdministration","id":"ma-c","status":"completed","subject":{"reference":"Patient/p2"},"medicationCodeableConcept":{"text":"x"},"effectiveDateTime":"2025-01-01"}}
]})";

class ScopeLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.path() / "in/a-bundle.json", kBundle);
    writeFile(dir_.path() / "in/b-export.ndjson", kNdjson);
    writeFile(dir_.path() / "in/c-bundle.json", kBundleWithoutCoverage);
    auto config = loadConfig(testing::sourceDir() / "config/fhir837.toml");
    ASSERT_TRUE(config) << config.error();
    config_ = std::move(*config);
    LoadOptions options;
    options.spillDir = dir_.path();
    Status loaded =
        loadInputs({dir_.path() / "in"}, options, loaded_, [](auto, auto) { return Status::ok(); });
    ASSERT_TRUE(loaded) << loaded.error();
    SpilledResources linker(loaded_.spilled, *loaded_.lines, loaded_.inputNames, {});
    links_.build(loaded_.spilled, linker, loaded_.global);
    context_ = std::make_unique<GroupContext>(
        GroupContext{loaded_, links_, config_, tables_, std::nullopt, {}, false});
    coder_ = std::make_unique<GroupCoder>(*context_);
    coder_->beginGroup();
  }

  const EventRecord& event(std::string_view id) {
    for (const EventRecord& e : loaded_.events) {
      if (loaded_.key(e.id) == "MedicationAdministration/" + std::string(id)) return e;
    }
    throw std::logic_error("no such event");
  }
  Result<const AnyResource*> resolveFrom(std::string_view eventId, const std::string& reference) {
    const EventRecord& e = event(eventId);
    Reference ref;
    ref.reference = reference;
    return coder_->scopeFor(e).resolve(ref, *coder_->eventResource(e).value(), "subject");
  }
  static std::string mrnOf(const AnyResource* patient) {
    return patient->as<Patient>()->identifier.at(0).value;
  }

  TempDir dir_;
  AppConfig config_;
  CodingTables tables_;
  LoadedInputs loaded_;
  CoverageLinks links_;
  std::unique_ptr<GroupContext> context_;
  std::unique_ptr<GroupCoder> coder_;
};

TEST_F(ScopeLayersTest, EachEventFindsItsOwnInputsPatientFirst) {
  EXPECT_EQ(mrnOf(resolveFrom("ma-b", "Patient/p1").value()), "BUNDLE");
  EXPECT_EQ(mrnOf(resolveFrom("ma-n", "Patient/p1").value()), "NDJSON");
  // Not in the event's own layer: the next layer answers.
  EXPECT_EQ(resolveFrom("ma-b", "Patient/p2").value()->id(), "p2");
  EXPECT_EQ(resolveFrom("ma-n", "Coverage/cov-b").value()->id(), "cov-b");
  EXPECT_EQ(resolveFrom("ma-n", "Patient/p9").error().message,
            "reference \"Patient/p9\" matches no resource");
}

TEST_F(ScopeLayersTest, ABundlesPatientGetsCoveragesFromTheNdjsonFiles) {
  const EventRecord& e = event("ma-c");
  const AnyResource* patient = resolveFrom("ma-c", "Patient/p2").value();
  const auto coverages = coder_->scopeFor(e).coveragesFor(patient);
  ASSERT_EQ(coverages.size(), 1u);
  EXPECT_EQ(coverages[0].coverage->id(), "cov-n");
}

// Within a group a reference is looked up once, but the answer is remembered per scope, and only
// for references whose answer does not depend on who refers.
TEST_F(ScopeLayersTest, RememberedReferencesKeepEachScopeAndReferrerApart) {
  const AnyResource* ndjson = resolveFrom("ma-n", "Patient/p1").value();
  EXPECT_EQ(mrnOf(resolveFrom("ma-b", "Patient/p1").value()), "BUNDLE");
  EXPECT_EQ(resolveFrom("ma-n", "Patient/p1").value(), ndjson);
  EXPECT_EQ(resolveFrom("ma-n", "#").value()->id(), "ma-n");
  EXPECT_EQ(resolveFrom("ma-b", "#").value()->id(), "ma-b");
  Reference missing;
  missing.reference = "Patient/p9";
  const ResourceScope scope = coder_->scopeFor(event("ma-n"));
  const AnyResource& from = *coder_->eventResource(event("ma-n")).value();
  EXPECT_EQ(scope.resolve(missing, from, "subject").error().where, "subject");
  EXPECT_EQ(scope.resolve(missing, from, "performer[0].actor").error().where, "performer[0].actor");
}

// The main thread reads an event back to compare its copies or check the ledger; the worker that
// codes it is handed that resource instead of parsing the line again.
TEST_F(ScopeLayersTest, AnEventIsReadBackOncePerGroup) {
  const EventRecord& e = event("ma-n");
  EXPECT_EQ(coder_->eventIfRead(e), nullptr);
  const AnyResource* first = coder_->eventResource(e).value();
  EXPECT_EQ(coder_->eventResource(e).value(), first);
  EXPECT_EQ(coder_->eventIfRead(e), first);
  EXPECT_EQ(coder_->eventIfRead(event("ma-b")), nullptr) << "only what was read";
  coder_->beginGroup();
  EXPECT_EQ(coder_->eventIfRead(e), nullptr);
  EXPECT_EQ(coder_->eventResource(e).value()->id(), "ma-n");
}

}  // namespace
}  // namespace fhir837
