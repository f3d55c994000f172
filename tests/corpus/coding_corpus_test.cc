// Issue "coding engine": across the whole third-party corpus (20,000+ real administrations:
// MIMIC-IV IV drips, Synthea, HL7 examples) no administration is coded 96369/96370/96371 — the
// corpus holds no SC pump infusion — and R4 medadmin0308 (SC insulin with a 10-hour period) is not
// an infusion. The coder runs on every administration directly (most corpus data has no Coverage,
// which would stop the claim path before coding); outcome counts per reason are printed.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "encounter_coder.h"
#include "engine/bulk/coverage_links.h"
#include "engine/config/config_loader.h"
#include "engine/config/table_loader.h"
#include "engine/group_coder.h"
#include "engine/input_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

struct CorpusCoding {
  std::map<std::string, std::size_t> outcomes;  // "kind rule" or "claim <codes>"
  std::size_t administrations = 0;
  std::vector<std::string> forbidden;  // events coded 96369/96370/96371
  std::map<std::string, std::vector<std::string>> linesByEvent;
  std::map<std::string, std::string> outcomeByEvent;
};

EventFacts factsFor(const AnyResource& resource, const ResourceScope& scope, bool ignoreSetting) {
  const auto& ma = *resource.as<MedicationAdministration>();
  EventFacts facts;
  facts.eventRef = "MedicationAdministration/" + ma.id;
  facts.administration = &ma;
  if (ma.medication.reference) {
    auto med = scope.resolve(*ma.medication.reference, resource, facts.eventRef);
    if (med) facts.medication = (*med)->as<Medication>();
  }
  if (!ma.request.empty()) {
    auto request = scope.resolve(ma.request, resource, facts.eventRef);
    if (request) facts.request = (*request)->as<MedicationRequest>();
  }
  for (const auto& part : ma.partOf) {
    auto target = scope.resolve(part, resource, facts.eventRef);
    if (target && (*target)->as<Procedure>()) {
      facts.linkedProcedures.push_back((*target)->as<Procedure>());
    }
  }
  if (!ma.context.empty()) {
    auto encounter = scope.resolve(ma.context, resource, facts.eventRef);
    if (encounter && (*encounter)->as<Encounter>()) {
      facts.encounterClass = (*encounter)->as<Encounter>()->encounterClass.code;
    }
  }
  if (ignoreSetting) facts.encounterClass.clear();  // reach the route/timing rules
  facts.placeOfService = "11";
  facts.payerKey = "aetna";
  return facts;
}

CorpusCoding codeCorpus(const std::filesystem::path& corpus, bool ignoreSetting) {
  auto config = loadConfig(testing::sourceDir() / "config/fhir837.toml");
  EXPECT_TRUE(config) << config.error();
  auto tables = loadTables(*config);
  EXPECT_TRUE(tables) << tables.error();
  CodingTables codingTables{&tables->routes, &tables->ndc, &tables->families};
  testing::TempDir spillDir;
  LoadedInputs loaded;
  LoadOptions options;
  options.jobs = 2;
  options.spillDir = spillDir.path();
  Status status = loadInputs({corpus}, options, loaded, [](auto, auto) { return Status::ok(); });
  EXPECT_TRUE(status) << status.error();
  CoverageLinks noCoverages;
  GroupContext context{loaded, noCoverages, *config, codingTables, std::nullopt, {}};
  GroupCoder reader(context);

  CorpusCoding result;
  // One encounter's administrations are coded together, as the converter does.
  std::map<std::string, std::vector<const EventRecord*>> byEncounter;
  for (const auto& event : loaded.events) {
    // Administrations only: Procedure events go through convert in the CorpusCli run.
    if (loaded.key(event.id).rfind("MedicationAdministration/", 0) != 0) continue;
    byEncounter[loaded.inputOf(event) + "|" + std::string(loaded.key(event.group))].push_back(
        &event);
  }
  CodingPolicy policy;
  for (const auto& [key, events] : byEncounter) {
    std::vector<EventFacts> facts;
    reader.beginGroup();  // the resources of this encounter stay valid until the next one
    for (const EventRecord* event : events) {
      auto resource = reader.eventResource(*event);
      EXPECT_TRUE(resource) << resource.error();
      facts.push_back(factsFor(**resource, reader.scopeFor(*event), ignoreSetting));
    }
    std::vector<EventCoding> codings = codeEncounter(facts, policy, codingTables);
    for (std::size_t i = 0; i < codings.size(); ++i) {
      ++result.administrations;
      const EventCoding& coding = codings[i];
      std::string label;
      if (coding.kind == OutcomeKind::kBilled) {
        label = "claim";
        for (const auto& line : coding.lines) {
          label += " " + line.procedureCode;
          result.linesByEvent[facts[i].eventRef].push_back(line.procedureCode);
          if (line.procedureCode == "96369" || line.procedureCode == "96370" ||
              line.procedureCode == "96371") {
            result.forbidden.push_back(facts[i].eventRef);
          }
        }
      } else {
        label = std::string(toString(coding.kind)) + " " + coding.rule;
      }
      result.outcomeByEvent[facts[i].eventRef] = label;
      ++result.outcomes[label];
    }
  }
  return result;
}

void expectNoScPumpCoding(bool ignoreSetting) {
  auto corpus = testing::corpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent: " << FHIR837_CORPUS_DIR;
  CorpusCoding result = codeCorpus(*corpus, ignoreSetting);
  std::cout << "coded " << result.administrations << " corpus administrations"
            << (ignoreSetting ? " (inpatient setting ignored)" : "") << ":\n";
  for (const auto& [label, count] : result.outcomes) {
    std::cout << "  " << count << "  " << label << "\n";
  }
  EXPECT_GE(result.administrations, 20000u);
  EXPECT_TRUE(result.forbidden.empty())
      << result.forbidden.size() << " e.g. " << result.forbidden.front();
  // medadmin0308: Lantus SC with a 10-hour period and no pump evidence is not an infusion.
  const std::string& insulin = result.outcomeByEvent["MedicationAdministration/medadmin0308"];
  ASSERT_FALSE(insulin.empty()) << "medadmin0308 not found in the corpus";
  EXPECT_EQ(insulin.find("96369"), std::string::npos) << insulin;
  EXPECT_EQ(insulin.find("96370"), std::string::npos) << insulin;
}

TEST(CodingCorpusTest, NoCorpusAdministrationIsCodedAsAnScPumpInfusion) {
  expectNoScPumpCoding(false);
}

// MIMIC's ICU stays are inpatient (SET-D13 stops them first); with the setting ignored the 11,000
// IV drips with periods reach the route and timing rules, and still none is 96369-family.
TEST(CodingCorpusTest, EvenOutsideTheInpatientRuleNothingIsAnScPumpInfusion) {
  expectNoScPumpCoding(true);
}

}  // namespace
}  // namespace fhir837
